// GET /healthz: the process answers. GET /readyz: it serves everything, on a migrated database.
import type { Database } from "../db/client.ts";
import { type Route, sendJson } from "./server.ts";

/** Where a starting server is; `ready` once every route is mounted. */
export type Readiness = { step: string; database?: Database };

export function healthRoutes(readiness: () => Readiness): Route[] {
  return [
    { method: "GET", path: "/healthz", handler: (_req, res) => sendJson(res, 200, { status: "ok" }) },
    {
      method: "GET",
      path: "/readyz",
      handler: async (_req, res) => {
        const { step, database } = readiness();
        if (step !== "ready" || !database) {
          sendJson(res, 503, { status: "not ready", step });
          return;
        }
        // Loaded with the database by then; not before, so that /healthz answers before it loads.
        const { isMigrated } = await import("../db/migrate.ts");
        // A database that cannot answer is "not ready", with the reason for whoever probes.
        const check = await isMigrated(database).then(
          (migrated) => ({ migrated, error: undefined }),
          (error: unknown) => ({
            migrated: false,
            error: error instanceof Error ? error.message : String(error),
          }),
        );
        sendJson(res, check.migrated ? 200 : 503, {
          status: check.migrated ? "ready" : "not ready",
          database: database.kind,
          migrated: check.migrated,
          ...(check.error ? { error: check.error } : {}),
        });
      },
    },
  ];
}
