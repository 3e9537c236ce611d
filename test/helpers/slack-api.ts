// A fake Slack Web API (and response_url hooks) on msw, for tests that drive the real Bolt app.
//
// Usage:
//   const api = slackApi();            // starts the one msw server of this worker (idempotent)
//   beforeEach(() => api.reset());     // forget calls and per-test responders
//   api.respond("chat.postMessage", () => api.rateLimited(30));   // override one method
//   await api.waitFor("views.open");   // listeners run after the ack: wait for their calls
//   api.calls("chat.postMessage")[0].body.blocks   // decoded: blocks/view are parsed JSON
//
// Unknown URLs fail the test (onUnhandledRequest: "error"); http://127.0.0.1 (our own server)
// passes through. Other areas add their own fakes with `api.server.use(...)` in a beforeEach.
import { HttpResponse, http, passthrough } from "msw";
import { setupServer } from "msw/node";
import { decodeSlackBody } from "../../src/console/decode-slack-body.ts";

export const SLACK_API_URL = "https://slack.test/api/";
export const RESPONSE_URL_BASE = "https://hooks.slack.test/";

export type SlackCall = {
  method: string;
  /** Form fields; JSON-valued ones (blocks, view, attachments) parsed. */
  body: Record<string, unknown>;
  token: string | null;
};

export type HookCall = { url: string; body: Record<string, unknown> };

type Responder = (call: SlackCall) => Response | Record<string, unknown>;

async function decodeBody(request: Request): Promise<Record<string, unknown>> {
  return decodeSlackBody(request.headers.get("content-type") ?? "", await request.text());
}

export type SlackApiFake = {
  server: ReturnType<typeof setupServer>;
  calls: (method?: string) => SlackCall[];
  hooks: () => HookCall[];
  respond: (method: string, responder: Responder) => void;
  /** A 429 with Retry-After, as Slack sends it. */
  rateLimited: (retryAfterSeconds: number) => Response;
  /** Resolves when `method` (or "hook" for response_url posts) has been called `count` times. */
  waitFor: (method: string, count?: number, timeoutMs?: number) => Promise<void>;
  /**
   * A person of the Slack workspace, as users.info and users.lookupByEmail answer about them (by
   * default users.info knows every id, without an e-mail, and lookupByEmail knows nobody).
   */
  slackUser: (id: string, profile: { email?: string; name?: string; locale?: string }) => void;
  /** Accepts `files.uploadV2` (URL, upload, completion) and returns what was uploaded so far. */
  acceptFileUploads: () => () => string;
  reset: () => void;
};

// Also the worker's only msw server: other fakes (SendGrid) add handlers with `server.use` and
// reset them after each test; nobody closes it (two servers in one process fight over fetch).
let fake: SlackApiFake | undefined;

export function slackApi(): SlackApiFake {
  if (fake) return fake;
  const calls: SlackCall[] = [];
  const hooks: HookCall[] = [];
  const responders = new Map<string, Responder>();
  const people = new Map<string, { email?: string; name?: string; locale?: string }>();
  // Slack tells a user's locale only when asked with include_locale; people given none here have
  // none, so that Cobro falls back to the workspace language for them.
  const userJson = (id: string, withLocale = false) => {
    const person = people.get(id) ?? {};
    return {
      ...(withLocale && person.locale ? { locale: person.locale } : {}),
      id,
      team_id: "TTEST",
      name: id.toLowerCase(),
      real_name: person.name ?? id,
      is_bot: false,
      profile: { real_name: person.name ?? id, ...(person.email ? { email: person.email } : {}) },
    };
  };
  let nextTs = 1_700_000_000;
  let nextView = 1;
  const defaults: Record<string, Responder> = {
    "auth.test": () => ({
      ok: true,
      user_id: "UCOBROBOT",
      bot_id: "BCOBRO",
      team_id: "TTEST",
      user: "cobro",
    }),
    "chat.postMessage": (call) => ({ ok: true, channel: call.body.channel, ts: `${nextTs++}.000100` }),
    "chat.update": (call) => ({ ok: true, channel: call.body.channel, ts: call.body.ts }),
    "chat.postEphemeral": () => ({ ok: true, message_ts: `${nextTs++}.000200` }),
    "views.open": () => ({ ok: true, view: { id: `V${nextView++}` } }),
    "views.update": (call) => ({ ok: true, view: { id: call.body.view_id ?? `V${nextView++}` } }),
    "views.publish": () => ({ ok: true, view: { id: `V${nextView++}` } }),
    "views.push": () => ({ ok: true, view: { id: `V${nextView++}` } }),
    "users.info": (call) => ({
      ok: true,
      user: userJson(String(call.body.user), String(call.body.include_locale) === "true"),
    }),
    "users.lookupByEmail": (call) => {
      const email = String(call.body.email).toLowerCase();
      const id = [...people].find(([, p]) => p.email?.toLowerCase() === email)?.[0];
      return id ? { ok: true, user: userJson(id) } : { ok: false, error: "users_not_found" };
    },
    "conversations.open": (call) => ({ ok: true, channel: { id: `D${String(call.body.users ?? "X")}` } }),
  };
  const server = setupServer(
    http.post(`${SLACK_API_URL}:method`, async ({ request, params }) => {
      const method = String(params.method);
      const call: SlackCall = {
        method,
        body: await decodeBody(request),
        token: request.headers.get("authorization")?.replace(/^Bearer /, "") ?? null,
      };
      calls.push(call);
      const responder = responders.get(method) ?? defaults[method];
      if (!responder) return HttpResponse.json({ ok: false, error: "unknown_method" });
      const result = responder(call);
      return result instanceof Response ? result : HttpResponse.json(result);
    }),
    http.post(`${RESPONSE_URL_BASE}*`, async ({ request }) => {
      hooks.push({ url: request.url, body: await decodeBody(request) });
      return HttpResponse.text("ok");
    }),
    http.all("http://127.0.0.1*", () => passthrough()),
  );
  server.listen({ onUnhandledRequest: "error" });
  const count = (method: string) =>
    method === "hook" ? hooks.length : calls.filter((c) => c.method === method).length;
  const created: SlackApiFake = {
    server,
    calls: (method) => (method ? calls.filter((c) => c.method === method) : [...calls]),
    hooks: () => [...hooks],
    respond: (method, responder) => {
      responders.set(method, responder);
    },
    rateLimited: (seconds) =>
      HttpResponse.json(
        { ok: false, error: "ratelimited" },
        { status: 429, headers: { "retry-after": String(seconds) } },
      ),
    waitFor: async (method, wanted = 1, timeoutMs = 5000) => {
      const until = Date.now() + timeoutMs;
      while (count(method) < wanted) {
        if (Date.now() > until) {
          throw new Error(`timed out waiting for ${wanted} × ${method} (got ${count(method)})`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    slackUser: (id, profile) => {
      people.set(id, profile);
    },
    acceptFileUploads: () => {
      let uploaded = "";
      created.respond("files.getUploadURLExternal", () => ({
        ok: true,
        upload_url: "https://files.slack.test/upload/F1",
        file_id: "F1",
      }));
      created.respond("files.completeUploadExternal", () => ({ ok: true, files: [{ id: "F1" }] }));
      server.use(
        http.post("https://files.slack.test/upload/:id", async ({ request }) => {
          uploaded = await request.text();
          return HttpResponse.text("OK");
        }),
      );
      return () => uploaded;
    },
    reset: () => {
      calls.length = 0;
      hooks.length = 0;
      responders.clear();
      people.clear();
      server.resetHandlers();
    },
  };
  fake = created;
  return created;
}
