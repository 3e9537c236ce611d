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
        const migrated = await isMigrated(database).catch(() => false);
        sendJson(res, migrated ? 200 : 503, {
          status: migrated ? "ready" : "not ready",
          database: database.kind,
          migrated,
        });
      },
    },
  ];
}
