// A recording loopback stand-in for Slack and SendGrid, as the benchmarks use it. Slack: one
// chat.postMessage a second per channel after a burst of `slackBurst` (a cell-rate limit), 429 with
// Retry-After beyond it; every accepted post is recorded under the delivery id of its metadata, with
// the time it arrived. SendGrid: /v3/mail/send answers 202 after `mailLatencyMs`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export type StandIn = ReturnType<typeof startStandIn>;

export function startStandIn(options: { slackBurst: number; mailLatencyMs: number }) {
  const lastPost = new Map<string, number>();
  const lastArrival = new Map<string, number>();
  /** Accepted posts per delivery id (or text when untagged), and when the last one arrived. */
  const slack = new Map<string, number>();
  const slackAt = new Map<string, number>();
  const mail = new Map<string, number>();
  const calls = new Map<string, number>();
  let rateLimited = 0;
  const gaps: number[] = [];
  let ts = 1_800_000_000;
  const read = async (req: IncomingMessage) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    return text;
  };
  const json = (res: ServerResponse, status: number, body: unknown, headers = {}) =>
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  const server = createServer(async (req, res) => {
    const body = await read(req);
    calls.set(String(req.url), (calls.get(String(req.url)) ?? 0) + 1);
    if (req.url === "/v3/mail/send") {
      const id = (JSON.parse(body) as { custom_args?: { delivery_id?: string } }).custom_args?.delivery_id;
      await new Promise((resolve) => setTimeout(resolve, options.mailLatencyMs));
      mail.set(String(id), (mail.get(String(id)) ?? 0) + 1);
      return void res.writeHead(202, { "x-message-id": `sg-${mail.size}` }).end();
    }
    if (req.url === "/api/chat.postMessage") {
      const form = new URLSearchParams(body);
      const channel = form.get("channel") ?? "";
      const now = Date.now();
      // Cell-rate: `lastPost` holds when the channel's burst is whole again (theoretical arrival).
      const full = lastPost.get(channel) ?? 0;
      const wait = full - (options.slackBurst - 1) * 1000 - now;
      if (wait > 0) {
        rateLimited++;
        return json(
          res,
          429,
          { ok: false, error: "ratelimited" },
          { "retry-after": String(Math.ceil(wait / 1000)) },
        );
      }
      const previous = lastArrival.get(channel);
      if (previous !== undefined) gaps.push(now - previous);
      lastArrival.set(channel, now);
      lastPost.set(channel, Math.max(full, now) + 1000);
      const tag = JSON.parse(form.get("metadata") ?? "{}") as { event_payload?: { delivery_id?: string } };
      const id = String(tag.event_payload?.delivery_id ?? form.get("text"));
      slack.set(id, (slack.get(id) ?? 0) + 1);
      slackAt.set(id, now);
      return json(res, 200, { ok: true, channel, ts: `${ts++}.000100` });
    }
    return json(res, 404, { ok: false, error: "unknown_method" });
  });
  server.listen(0, "127.0.0.1");
  return { server, slack, slackAt, mail, calls, rateLimited: () => rateLimited, gaps };
}
