// The one HTTP server: health checks, webhooks, API and (when configured) Slack on the same port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../logger.ts";

export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>,
) => unknown;
export type Route = { method: string; path: string; handler: RouteHandler };

/** Exact paths, or a trailing `/*` for a prefix (`/slack/*`), or `:name` segments. */
function matchPath(pattern: string, path: string): Record<string, string> | null {
  if (pattern.endsWith("/*")) return path.startsWith(pattern.slice(0, -1)) ? {} : null;
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i] ?? "";
    if (segment.startsWith(":")) params[segment.slice(1)] = decodeURIComponent(got[i] ?? "");
    else if (segment !== got[i]) return null;
  }
  return params;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

export async function readBody(req: IncomingMessage, limitBytes = 5_000_000): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function createHttpServer(routes: Route[], logger: Logger): Server {
  return createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const candidates = routes.map((route) => ({ route, params: matchPath(route.path, path) }));
    const found = candidates.find(({ route, params }) => params && route.method === req.method);
    if (!found?.params) {
      const pathExists = candidates.some(({ params }) => params);
      sendJson(res, pathExists ? 405 : 404, { error: pathExists ? "method not allowed" : "not found" });
      return;
    }
    Promise.resolve(found.route.handler(req, res, found.params)).catch((error: unknown) => {
      logger.error({ err: error, path }, "request failed");
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.end();
    });
  });
}
