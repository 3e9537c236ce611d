// What Cobro checks on POST /slack/events before Bolt's receiver sees it (the server has read the
// body within the route's limit): a timestamp not ahead of now (Bolt refuses only old ones), and a
// body Bolt can work on (a signed `null` body makes its receiver throw outside its error handling,
// and the request is never answered).
import type { IncomingMessage, ServerResponse } from "node:http";
import { type BufferedIncomingMessage, HTTPModuleFunctions } from "@slack/bolt";
import type { RouteHandler } from "../http/server.ts";
import type { Logger } from "../logger.ts";

/** Slack's rule for request timestamps: within 5 minutes of now, either way. */
const TIMESTAMP_SKEW_SECONDS = 5 * 60;

export function datedAhead(header: string | string[] | undefined, nowMs: number): boolean {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds > Math.floor(nowMs / 1000) + TIMESTAMP_SKEW_SECONDS;
}

function parsesToObject(req: BufferedIncomingMessage): boolean {
  try {
    const body: unknown = HTTPModuleFunctions.parseHTTPRequestBody(req);
    return typeof body === "object" && body !== null;
  } catch {
    // Unparsable bodies Bolt refuses itself, after the signature: 401 unsigned, 400 signed.
    return true;
  }
}

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

export function guardSlackEvents(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  logger: Logger,
): RouteHandler {
  return (req, res, _params, body) => {
    // A request signed for later could be replayed until then.
    if (datedAhead(req.headers["x-slack-request-timestamp"], Date.now())) {
      logger.warn("Slack request refused: its timestamp is more than 5 minutes ahead");
      return refuse(res, 401);
    }
    // Bolt takes a body already read from `rawBody` (its BufferedIncomingMessage).
    const buffered = Object.assign(req, { rawBody: body });
    if (!parsesToObject(buffered)) return refuse(res, 400);
    listener(buffered, res);
  };
}
