// The console's stand-in for Slack's Web API (SLACK_API_URL points here) and for response_url and
// file upload URLs: it answers as Slack documents, refuses what Slack refuses (Block Kit limits,
// stale trigger ids, unknown views) with Slack's error codes, and records everything in the store.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Db } from "../db/client.ts";
import type { Route } from "../http/server.ts";
import { messageLimitError, viewLimitError, withIds } from "./block-kit-limits.ts";
import { BOT_USER_ID, type ConsoleStore } from "./console-store.ts";
import { decodeSlackBody } from "./decode-slack-body.ts";
import { CONSOLE_TEAM_ID, dmChannelOf, loadConsoleDirectory } from "./directory.ts";

type Json = Record<string, unknown>;
export type WebApiContext = { store: ConsoleStore; db: () => Db; baseUrl: () => string };

export const CONSOLE_API_PATH = "/console/slack/api/";

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
};

const fail = (error: string, messages: string[] = []) => ({
  ok: false,
  error,
  ...(messages.length > 0 ? { response_metadata: { messages } } : {}),
});

/** A user id (U…) names their DM with Cobro, as chat.postMessage accepts it. */
const channelOf = (channel: unknown) => {
  const id = String(channel ?? "");
  return /^[UW]/.test(id) ? dmChannelOf(id) : id;
};

function userJson(person: { id: string; name: string; email: string | null }) {
  return {
    id: person.id,
    team_id: CONSOLE_TEAM_ID,
    name: person.name.toLowerCase().replace(/\s+/g, "."),
    real_name: person.name,
    is_bot: false,
    deleted: false,
    tz: "Europe/Madrid",
    // Slack's own default; each person picks Cobro's language with /cobro language (the page's menu).
    locale: "en-US",
    profile: {
      real_name: person.name,
      display_name: person.name,
      ...(person.email ? { email: person.email } : {}),
    },
  };
}

type Method = (body: Json, context: WebApiContext) => Promise<Json> | Json;

const fresh = (store: ConsoleStore) => () => store.randomId("", 3).toLowerCase();

function openView(mode: "open" | "push"): Method {
  return (body, { store }) => {
    const view = body.view as Json | undefined;
    if (!view || typeof view !== "object")
      return fail("invalid_arguments", ["[ERROR] missing required field: view"]);
    const trigger = store.useTrigger(String(body.trigger_id ?? body.interactivity_pointer ?? ""));
    if ("error" in trigger) return fail(trigger.error);
    if (mode === "push" && store.modalStack(trigger.userId).length === 0) return fail("not_found");
    if (mode === "push" && store.modalStack(trigger.userId).length >= 3) return fail("push_limit_reached");
    const limit = viewLimitError(view);
    if (limit) return fail(limit.error, limit.messages);
    const opened = store.openModal(
      trigger.userId,
      { ...view, blocks: withIds(view.blocks, fresh(store)) },
      mode,
    );
    return { ok: true, view: viewJson(opened) };
  };
}

export function viewJson(view: {
  id: string;
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  view: Json;
}) {
  return {
    ...view.view,
    id: view.id,
    team_id: CONSOLE_TEAM_ID,
    hash: view.hash,
    root_view_id: view.rootViewId,
    previous_view_id: view.previousViewId,
    app_id: "ACOBROCONSOLE",
    bot_id: "BCOBRO",
    private_metadata: view.view.private_metadata ?? "",
    callback_id: view.view.callback_id ?? "",
  };
}

const METHODS: Record<string, Method> = {
  "auth.test": () => ({
    ok: true,
    url: "http://console.cobro.invalid/",
    team: "Cobro console",
    user: "cobro",
    team_id: CONSOLE_TEAM_ID,
    user_id: BOT_USER_ID,
    bot_id: "BCOBRO",
  }),
  "chat.postMessage": (body, { store }) => {
    const limit = messageLimitError(body);
    if (limit) return fail(limit.error, limit.messages);
    const message = store.post({
      channel: channelOf(body.channel),
      user: BOT_USER_ID,
      text: String(body.text ?? ""),
      blocks: withIds(body.blocks, fresh(store)),
      ...(body.thread_ts ? { threadTs: String(body.thread_ts) } : {}),
    });
    return {
      ok: true,
      channel: message.channel,
      ts: message.ts,
      message: { text: message.text, ts: message.ts },
    };
  },
  "chat.update": (body, { store }) => {
    const limit = messageLimitError(body);
    if (limit) return fail(limit.error, limit.messages);
    const channel = channelOf(body.channel);
    const updated = store.update(channel, String(body.ts), {
      text: String(body.text ?? ""),
      blocks: withIds(body.blocks, fresh(store)),
    });
    return updated ? { ok: true, channel, ts: updated.ts, text: updated.text } : fail("message_not_found");
  },
  "chat.postEphemeral": (body, { store }) => {
    const limit = messageLimitError(body);
    if (limit) return fail(limit.error, limit.messages);
    const message = store.post({
      channel: channelOf(body.channel),
      user: BOT_USER_ID,
      ephemeralTo: String(body.user),
      text: String(body.text ?? ""),
      blocks: withIds(body.blocks, fresh(store)),
      ...(body.thread_ts ? { threadTs: String(body.thread_ts) } : {}),
    });
    return { ok: true, message_ts: message.ts };
  },
  "chat.delete": (body, { store }) =>
    store.remove(channelOf(body.channel), String(body.ts)) ? { ok: true } : fail("message_not_found"),
  "chat.getPermalink": (body, { baseUrl }) => ({
    ok: true,
    channel: body.channel,
    permalink: `${baseUrl()}/console#${String(body.channel)}/${String(body.message_ts)}`,
  }),
  "conversations.open": (body) => {
    const users = String(body.users ?? "")
      .split(",")
      .filter(Boolean);
    if (users.length !== 1) return fail("not_enough_users");
    return { ok: true, channel: { id: dmChannelOf(users[0] ?? "") } };
  },
  "conversations.history": (body, { store }) => {
    const channel = channelOf(body.channel);
    const found = store
      .messages()
      .filter((m) => m.channel === channel && !m.ephemeralTo && !m.threadTs)
      .reverse()
      .map((m) => ({
        type: "message",
        user: m.user,
        bot_id: "BCOBRO",
        text: m.text,
        ts: m.ts,
        blocks: m.blocks,
      }));
    return { ok: true, messages: found, has_more: false };
  },
  "conversations.info": async (body, { db }) => {
    const directory = await loadConsoleDirectory(db());
    const channel = directory.channels.find((c) => c.id === body.channel);
    return channel
      ? { ok: true, channel: { id: channel.id, name: channel.name, is_im: channel.kind === "dm" } }
      : fail("channel_not_found");
  },
  // Members not in Slack yet have their console-only id here, with their e-mail: Cobro links them by it.
  "users.info": async (body, { db }) => {
    const directory = await loadConsoleDirectory(db());
    const person = directory.people.find((p) => p.id === String(body.user));
    return person ? { ok: true, user: userJson(person) } : fail("user_not_found");
  },
  "users.lookupByEmail": async (body, { db }) => {
    const directory = await loadConsoleDirectory(db());
    const email = String(body.email ?? "").toLowerCase();
    const person = directory.people.find((p) => p.email?.toLowerCase() === email);
    return person ? { ok: true, user: userJson(person) } : fail("users_not_found");
  },
  "views.open": openView("open"),
  "views.push": openView("push"),
  "views.update": (body, { store }) => {
    const existing = store.findView(
      typeof body.view_id === "string" ? body.view_id : undefined,
      typeof body.external_id === "string" ? body.external_id : undefined,
    );
    if (!existing) return fail("not_found");
    if (typeof body.hash === "string" && body.hash !== existing.hash) return fail("hash_conflict");
    const view = body.view as Json;
    const limit = viewLimitError(view);
    if (limit) return fail(limit.error, limit.messages);
    const updated = store.replaceView(existing, { ...view, blocks: withIds(view.blocks, fresh(store)) });
    return { ok: true, view: viewJson(updated) };
  },
  "views.publish": (body, { store }) => {
    const view = body.view as Json;
    if (view?.type !== "home") return fail("invalid_arguments", ["[ERROR] view type must be home"]);
    const userId = String(body.user_id ?? "");
    const existing = store.home(userId);
    if (existing && typeof body.hash === "string" && body.hash !== existing.hash)
      return fail("hash_conflict");
    const limit = viewLimitError(view);
    if (limit) return fail(limit.error, limit.messages);
    const home = store.publishHome(userId, { ...view, blocks: withIds(view.blocks, fresh(store)) });
    return { ok: true, view: viewJson(home) };
  },
  "files.getUploadURLExternal": (body, { store, baseUrl }) => {
    if (!body.filename || !body.length) return fail("invalid_arguments");
    const file = store.addFile({
      name: String(body.filename),
      title: String(body.filename),
      bytes: Buffer.alloc(0),
    });
    return { ok: true, upload_url: `${baseUrl()}/console/files/upload/${file.id}`, file_id: file.id };
  },
  "files.completeUploadExternal": (body, { store }) => {
    const files = (Array.isArray(body.files) ? body.files : []) as { id?: string; title?: string }[];
    const found = files.map((f) => store.file(String(f.id)));
    if (found.length === 0 || found.some((f) => !f)) return fail("file_not_found");
    for (const [i, file] of found.entries())
      if (file && files[i]?.title) file.title = String(files[i]?.title);
    const channel = body.channel_id ? channelOf(body.channel_id) : undefined;
    if (channel) {
      store.post({
        channel,
        user: BOT_USER_ID,
        text: String(body.initial_comment ?? ""),
        blocks: [],
        files: found.map((f) => ({ id: f?.id ?? "", name: f?.name ?? "", title: f?.title ?? f?.name ?? "" })),
        ...(body.thread_ts ? { threadTs: String(body.thread_ts) } : {}),
      });
    }
    return { ok: true, files: found.map((f) => ({ id: f?.id, title: f?.title, name: f?.name })) };
  },
};

const JSON_FIELDS = ["files"];

async function apiCall(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  raw: Buffer,
  context: WebApiContext,
) {
  const body = decodeSlackBody(String(req.headers["content-type"] ?? ""), raw.toString("utf8"));
  for (const field of JSON_FIELDS) {
    if (typeof body[field] === "string") {
      try {
        body[field] = JSON.parse(String(body[field]));
      } catch {
        return sendJson(res, 200, fail("invalid_arguments"));
      }
    }
  }
  const auth = String(req.headers.authorization ?? body.token ?? "");
  if (!auth) return sendJson(res, 200, fail("not_authed"));
  const handler = METHODS[method];
  sendJson(res, 200, handler ? await handler(body, context) : fail("unknown_method"));
}

/** What a response_url accepts, applied to the message or person it was handed out for. */
function respond(context: WebApiContext, id: string, body: Json): { status: number; text: string } {
  const { store } = context;
  const target = store.responseTarget(id);
  if (!target) return { status: 404, text: "no_service" };
  if (body.delete_original === true && target.messageTs) {
    store.remove(target.channel, target.messageTs);
    return { status: 200, text: "ok" };
  }
  const limit = messageLimitError(body);
  if (limit) return { status: 400, text: limit.error };
  const blocks = withIds(body.blocks, fresh(store));
  const text = String(body.text ?? "");
  if (body.replace_original === true && target.messageTs) {
    store.update(target.channel, target.messageTs, { text, blocks });
    return { status: 200, text: "ok" };
  }
  store.post({
    channel: target.channel,
    user: BOT_USER_ID,
    text,
    blocks,
    ...(body.response_type === "in_channel" ? {} : { ephemeralTo: target.userId }),
    ...(body.thread_ts ? { threadTs: String(body.thread_ts) } : {}),
  });
  return { status: 200, text: "ok" };
}

async function upload(req: IncomingMessage, raw: Buffer, file: { bytes: Buffer }) {
  const type = String(req.headers["content-type"] ?? "");
  if (!type.startsWith("multipart/form-data")) {
    file.bytes = raw;
    return;
  }
  // Slack's SDK posts the file as a multipart form field; the platform's own parser reads it.
  const form = await new Response(new Uint8Array(raw), { headers: { "content-type": type } }).formData();
  const part = [...form.values()].find((value) => typeof value !== "string");
  file.bytes = part ? Buffer.from(await (part as Blob).arrayBuffer()) : raw;
}

export function webApiRoutes(context: WebApiContext): Route[] {
  return [
    {
      method: "POST",
      path: `${CONSOLE_API_PATH}:method`,
      maxBodyBytes: 4 * 1024 * 1024,
      handler: (req, res, params, body) => apiCall(req, res, params.method ?? "", body, context),
    },
    {
      method: "POST",
      path: "/console/response/:id",
      maxBodyBytes: 1024 * 1024,
      handler: (req, res, params, raw) => {
        const body = decodeSlackBody(
          String(req.headers["content-type"] ?? "application/json"),
          raw.toString("utf8"),
        );
        const answer = respond(context, params.id ?? "", body);
        res.writeHead(answer.status, { "content-type": "text/plain" });
        res.end(answer.text);
      },
    },
    {
      method: "POST",
      path: "/console/files/upload/:id",
      maxBodyBytes: 50 * 1024 * 1024,
      handler: async (req, res, params, raw) => {
        const file = context.store.file(params.id ?? "");
        if (!file) {
          res.writeHead(404).end("file not found");
          return;
        }
        await upload(req, raw, file);
        res.writeHead(200, { "content-type": "text/plain" }).end(`OK - ${file.bytes.length}`);
      },
    },
  ];
}
