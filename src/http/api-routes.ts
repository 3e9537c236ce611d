// The public JSON API, authenticated by a workspace API key: POST /api/v1/time-entries.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServiceDeps } from "../context.ts";
import { isDomainError } from "../domain/errors.ts";
import { parseTimeEntryItems } from "../domain/time-entry-formats.ts";
import { recordTimeEntries } from "../timesheets/index.ts";
import { type ApiPrincipal, authenticateApiKey } from "../workspace/index.ts";
import { apiCtx } from "./api-ctx.ts";
import { type Route, sendJson } from "./server.ts";

export const MAX_ITEMS_PER_REQUEST = 1000;
const API_BODY_LIMIT = 5_000_000;

async function authenticate(
  deps: ServiceDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<ApiPrincipal | null> {
  const header = req.headers.authorization ?? (req.headers["x-api-key"] as string | undefined);
  try {
    return await authenticateApiKey(deps.db, header, deps.now());
  } catch (error) {
    if (!isDomainError(error)) throw error;
    res.setHeader("www-authenticate", 'Bearer realm="cobro"');
    sendJson(res, 401, { error: "unauthorized", code: error.code, message: error.userMessage });
    return null;
  }
}

function readJson(raw: Buffer, res: ServerResponse): { ok: true; value: unknown } | { ok: false } {
  const text = raw.toString("utf8");
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    sendJson(res, 400, { error: "bad_json", message: "The body is not valid JSON." });
    return { ok: false };
  }
}

export function apiRoutes(deps: ServiceDeps): Route[] {
  return [
    {
      method: "POST",
      path: "/api/v1/time-entries",
      maxBodyBytes: API_BODY_LIMIT,
      handler: async (req, res, _params, raw) => {
        const principal = await authenticate(deps, req, res);
        if (!principal) return;
        const body = readJson(raw, res);
        if (!body.ok) return;
        const items = Array.isArray(body.value)
          ? body.value
          : (body.value as { entries?: unknown } | null)?.entries;
        if (!Array.isArray(items) || items.length === 0) {
          sendJson(res, 422, {
            error: "invalid",
            message: 'Send {"entries": [ … ]} (or a JSON array) with at least one time entry.',
            errors: [{ index: null, field: "entries", message: "must be a non-empty array" }],
          });
          return;
        }
        if (items.length > MAX_ITEMS_PER_REQUEST) {
          sendJson(res, 422, {
            error: "invalid",
            message: `At most ${MAX_ITEMS_PER_REQUEST} entries per request; split the batch.`,
            errors: [{ index: null, field: "entries", message: `has ${items.length} items` }],
          });
          return;
        }
        const parsed = parseTimeEntryItems(items);
        if (parsed.errors.length > 0) {
          sendJson(res, 422, {
            error: "invalid",
            message: `${parsed.errors.length} problem(s); nothing was saved.`,
            errors: parsed.errors,
          });
          return;
        }
        try {
          const saved = await recordTimeEntries(apiCtx(deps, principal), { entries: parsed.rows });
          if (saved.errors.length > 0) {
            sendJson(res, 422, {
              error: "invalid",
              message: `${saved.errors.length} problem(s); nothing was saved.`,
              errors: saved.errors.map((e) => ({ index: e.line, field: e.column, message: e.message })),
            });
            return;
          }
          sendJson(res, 200, { created: saved.created, updated: saved.updated, unchanged: saved.unchanged });
        } catch (error) {
          if (!isDomainError(error)) throw error;
          sendJson(res, 422, { error: error.code, message: error.userMessage, errors: [] });
        }
      },
    },
  ];
}
