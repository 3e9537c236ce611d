// The one HTTP server: health checks, webhooks, API and (when configured) Slack on the same port.
// No request can stop it: the path, the body and every handler run inside the error handling, and a
// request Cobro cannot read is answered with a 4xx that says why.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "../logger.ts";

/** `body` is the whole request body, read by the server within the route's limit. */
export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  params: Record<string, string>,
  body: Buffer,
) => unknown;
export type Route = {
  method: string;
  path: string;
  handler: RouteHandler;
  /** Largest body the route accepts (bytes); larger ones get 413. Default DEFAULT_BODY_LIMIT. */
  maxBodyBytes?: number;
};

/** Routes without a body of their own (health checks, pages) still refuse floods. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/** A request Cobro refuses with a 4xx: thrown by routes and helpers, answered by the server. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "bad_path", "The path has a malformed percent-escape (such as %ZZ)");
  }
}

/** Exact paths, or a trailing `/*` for a prefix (`/slack/*`), or `:name` segments. */
function matchPath(pattern: string, path: string): Record<string, string> | null {
  if (pattern.endsWith("/*")) return path.startsWith(pattern.slice(0, -1)) ? {} : null;
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i] ?? "";
    if (segment.startsWith(":")) params[segment.slice(1)] = decodeSegment(got[i] ?? "");
    else if (segment !== got[i]) return null;
  }
  return params;
}

function pathOf(req: IncomingMessage): string {
  const target = req.url ?? "";
  // Only origin-form targets ("/path?query"): "*", absolute URLs and "//host" are not for us.
  if (!target.startsWith("/") || target.startsWith("//")) {
    throw new HttpError(400, "bad_path", "The request target must be a path starting with a single /");
  }
  try {
    return new URL(target, "http://localhost").pathname;
  } catch {
    throw new HttpError(400, "bad_path", "The request target is not a valid path");
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError(
    413,
    "too_large",
    `The request body is larger than ${limitBytes.toLocaleString("en")} bytes.`,
  );
}

/**
 * Bytes of a refused body read and dropped before answering. A server that answers while the client
 * is still sending, then closes, makes the client's kernel drop the answer (connection reset): up
 * to this much, the client gets its 413; beyond, it may see the reset.
 */
const DRAIN_LIMIT = 16 * 1024 * 1024;

/**
 * The whole body, or HttpError 413 beyond `limitBytes` (thrown once the body is read, up to
 * DRAIN_LIMIT: see there). An announced length over the limit is not buffered either.
 */
function readBody(req: IncomingMessage, limitBytes = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => (size > limitBytes ? reject(tooLarge(limitBytes)) : resolve(Buffer.concat(chunks)));
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) chunks.push(chunk);
      else chunks.length = 0;
      if (size > DRAIN_LIMIT) {
        req.pause();
        finish();
      }
    });
    req.once("end", finish);
    req.once("error", () => reject(new HttpError(400, "bad_body", "The request body could not be read.")));
  });
}

function finish(res: ServerResponse, status: number, body: unknown): void {
  if (!res.headersSent) sendJson(res, status, body);
  else if (!res.writableEnded) res.end();
}

/**
 * `startingStep` names what a starting server is still doing (null once every route is mounted):
 * until then an unknown path is answered 503 with Retry-After, so a first Slack request is retried
 * rather than told there is no such page.
 */
export function createHttpServer(
  routes: Route[],
  logger: Logger,
  startingStep: () => string | null = () => null,
): Server {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req);
    const candidates = routes.map((route) => ({ route, params: matchPath(route.path, path) }));
    const found = candidates.find(({ route, params }) => params && route.method === req.method);
    const step = found?.params ? null : startingStep();
    if (step) {
      res.setHeader("retry-after", "5");
      sendJson(res, 503, { error: "starting", step });
      return;
    }
    if (!found?.params) {
      const pathExists = candidates.some(({ params }) => params);
      sendJson(res, pathExists ? 405 : 404, { error: pathExists ? "method not allowed" : "not found" });
      return;
    }
    // The whole body before any answer: a client still sending when the server answers and closes
    // would lose the answer to a connection reset.
    const body = await readBody(req, found.route.maxBodyBytes ?? DEFAULT_BODY_LIMIT);
    await found.route.handler(req, res, found.params, body);
  };
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof HttpError) {
        finish(res, error.status, { error: error.code, message: error.message });
        return;
      }
      // The path only: query strings can carry codes and tokens.
      logger.error({ err: error, method: req.method, path: req.url?.split("?")[0] }, "request failed");
      finish(res, 500, { error: "internal error" });
    });
  });
}
