import type { Database } from "../db/client.ts";
import { isMigrated } from "../db/migrate.ts";
import { type Route, sendJson } from "./server.ts";

export function healthRoutes(database: Database): Route[] {
  return [
    { method: "GET", path: "/healthz", handler: (_req, res) => sendJson(res, 200, { status: "ok" }) },
    {
      method: "GET",
      path: "/readyz",
      handler: async (_req, res) => {
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
