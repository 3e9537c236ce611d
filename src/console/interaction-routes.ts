// What the page asks for when someone types, clicks, chooses or submits: each is turned into the
// request Slack would send (send-to-cobro.ts) and Cobro's answer is applied as Slack applies it
// (a command's ack shown to its author, a modal's errors under their fields, update, push, clear).
import type { IncomingMessage, ServerResponse } from "node:http";
import { contextFor, type ServiceDeps } from "../context.ts";
import { seedDemo } from "../demo/seed-demo.ts";
import { systemActor } from "../domain/permissions.ts";
import { HttpError, type Route } from "../http/server.ts";
import { runCollectionJob } from "../scheduler.ts";
import { withIds } from "./block-kit-limits.ts";
import { BOT_USER_ID, type ConsoleStore } from "./console-store.ts";
import { type ConsoleDirectory, dmChannelOf, loadConsoleDirectory } from "./directory.ts";
import { prepareConsoleWorkspace } from "./prepare-workspace.ts";
import type { CobroAnswer, Sender } from "./send-to-cobro.ts";
import { elementValue, findElement, type InputReading, stateValues } from "./state-values.ts";
import { viewJson } from "./web-api.ts";

type Json = Record<string, unknown>;

export type InteractionContext = {
  store: ConsoleStore;
  sender: Sender;
  deps: () => ServiceDeps;
  baseUrl: () => string;
};

type Surface = { channel: string; ts: string } | { viewId: string };

const obj = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const text = (value: unknown) => (typeof value === "string" ? value : "");

function parse(body: Buffer): Json {
  try {
    return obj(JSON.parse(body.toString("utf8")));
  } catch {
    throw new HttpError(400, "bad_json", "The console sends JSON.");
  }
}

function sendJson(res: ServerResponse, body: unknown) {
  res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

async function person(context: InteractionContext, userId: string, directory?: ConsoleDirectory) {
  const known = directory ?? (await loadConsoleDirectory(context.deps().db));
  const found = known.people.find((p) => p.id === userId);
  if (!found)
    throw new HttpError(400, "unknown_person", `Nobody in the console's workspace has the id ${userId}.`);
  return { ...found, userName: found.name.split(" ")[0]?.toLowerCase() ?? found.id, directory: known };
}

/** Slack shows a command's or interaction's answer to whoever sent it. */
function showAnswer(store: ConsoleStore, answer: CobroAnswer, userId: string, channel: string) {
  const body = answer.body;
  if (answer.status >= 400) {
    store.post({
      channel,
      user: BOT_USER_ID,
      ephemeralTo: userId,
      text: `Cobro answered ${answer.status}: ${text(body?.message ?? body?.error ?? body?.text)}`,
      blocks: [],
    });
    return;
  }
  if (!body || (!body.text && !body.blocks)) return;
  store.post({
    channel,
    user: BOT_USER_ID,
    text: text(body.text),
    blocks: withIds(body.blocks, () => store.randomId("", 3).toLowerCase()),
    ...(body.response_type === "in_channel" ? {} : { ephemeralTo: userId }),
  });
}

// Options an external menu loaded, by user and action: Slack sends back the chosen one whole.
const loadedOptions = new Map<string, Json[]>();

async function command(context: InteractionContext, input: Json) {
  const { store, sender } = context;
  const user = await person(context, text(input.user));
  const channel = text(input.channel);
  const typed = text(input.text).trim();
  const match = /^(\/\S+)\s*([\s\S]*)$/.exec(typed);
  if (!match) throw new HttpError(400, "not_a_command", "Type a slash command, e.g. /cobro help.");
  const channelName = user.directory.channels.find((c) => c.id === channel)?.name ?? "directmessage";
  const responseUrl = `${context.baseUrl()}/console/response/${store.responseUrlId({ userId: user.id, channel })}`;
  const answer = await sender.command({
    userId: user.id,
    userName: user.userName,
    channelId: channel,
    channelName,
    command: match[1] ?? "",
    text: match[2] ?? "",
    responseUrl,
    triggerId: store.issueTrigger(user.id),
  });
  showAnswer(store, answer, user.id, channel);
  return { status: answer.status };
}

function surfaceOf(input: Json): Surface {
  const surface = obj(input.surface);
  if (typeof surface.viewId === "string") return { viewId: surface.viewId };
  return { channel: text(surface.channel), ts: text(surface.ts) };
}

function readings(input: Json): InputReading[] {
  return (Array.isArray(input.state) ? input.state : []).map((r) => {
    const reading = obj(r);
    return {
      blockId: text(reading.blockId),
      actionId: text(reading.actionId),
      value: typeof reading.value === "string" ? reading.value : null,
      ...(Array.isArray(reading.values) ? { values: reading.values.map(String) } : {}),
    };
  });
}

async function action(context: InteractionContext, input: Json) {
  const { store, sender } = context;
  const user = await person(context, text(input.user));
  const surface = surfaceOf(input);
  const blockId = text(input.blockId);
  const actionId = text(input.actionId);
  const known = loadedOptions.get(`${user.id}:${actionId}`) ?? [];
  if ("viewId" in surface) {
    const view = store.viewOf(user.id, surface.viewId);
    if (!view) throw new HttpError(404, "view_gone", "That view is no longer open.");
    const element = findElement(view.view.blocks, blockId, actionId);
    if (!element) throw new HttpError(404, "element_gone", "That element is no longer in the view.");
    const answer = await sender.blockActions({
      userId: user.id,
      userName: user.userName,
      triggerId: store.issueTrigger(user.id),
      action: {
        ...elementValue(element, obj(input.chosen) as InputReading, known),
        action_id: actionId,
        block_id: blockId,
      },
      state: { values: stateValues(view.view.blocks, readings(input), known) },
      view: viewJson(view),
    });
    return { status: answer.status };
  }
  const message = store.findMessage(surface.channel, surface.ts);
  if (!message) throw new HttpError(404, "message_gone", "That message is no longer there.");
  const element = findElement(message.blocks, blockId, actionId);
  if (!element) throw new HttpError(404, "element_gone", "That element is no longer in the message.");
  const responseUrl = `${context.baseUrl()}/console/response/${store.responseUrlId({
    userId: user.id,
    channel: message.channel,
    messageTs: message.ts,
    ephemeral: Boolean(message.ephemeralTo),
  })}`;
  const answer = await sender.blockActions({
    userId: user.id,
    userName: user.userName,
    triggerId: store.issueTrigger(user.id),
    action: {
      ...elementValue(element, { blockId, actionId, ...obj(input.chosen) }, known),
      action_id: actionId,
      block_id: blockId,
    },
    state: { values: stateValues(message.blocks, readings(input), known) },
    message: {
      channel: message.channel,
      channelName: user.directory.channels.find((c) => c.id === message.channel)?.name ?? "directmessage",
      ts: message.ts,
      text: message.text,
      blocks: message.blocks,
      ephemeral: Boolean(message.ephemeralTo),
      ...(message.threadTs ? { threadTs: message.threadTs } : {}),
      responseUrl,
    },
  });
  if (answer.status >= 400) showAnswer(store, answer, user.id, message.channel);
  return { status: answer.status };
}

async function submit(context: InteractionContext, input: Json) {
  const { store, sender } = context;
  const user = await person(context, text(input.user));
  const view = store.viewOf(user.id, text(input.viewId));
  if (!view) throw new HttpError(404, "view_gone", "That modal is no longer open.");
  const answer = await sender.viewSubmission({
    userId: user.id,
    userName: user.userName,
    triggerId: store.issueTrigger(user.id),
    view: viewJson(view),
    state: { values: stateValues(view.view.blocks, readings(input)) },
  });
  const body = obj(answer.body);
  if (answer.status >= 400)
    return {
      status: answer.status,
      error: text(body.message ?? body.error) || `Cobro answered ${answer.status}`,
    };
  switch (body.response_action) {
    case "errors":
      return { status: answer.status, errors: obj(body.errors) };
    case "update":
      store.replaceView(view, {
        ...obj(body.view),
        blocks: withIds(obj(body.view).blocks, () => store.randomId("", 3).toLowerCase()),
      });
      return { status: answer.status };
    case "push":
      store.openModal(
        user.id,
        {
          ...obj(body.view),
          blocks: withIds(obj(body.view).blocks, () => store.randomId("", 3).toLowerCase()),
        },
        "push",
      );
      return { status: answer.status };
    case "clear":
      store.closeModal(user.id, true);
      return { status: answer.status };
    default:
      store.closeModal(user.id, false);
      return { status: answer.status };
  }
}

async function closeModal(context: InteractionContext, input: Json) {
  const { store, sender } = context;
  const user = await person(context, text(input.user));
  const view = store.viewOf(user.id, text(input.viewId));
  if (view?.view.notify_on_close === true) {
    await sender.viewClosed({ userId: user.id, userName: user.userName, view: viewJson(view) });
  }
  store.closeModal(user.id, false);
  return { status: 200 };
}

async function options(context: InteractionContext, input: Json) {
  const { store, sender } = context;
  const user = await person(context, text(input.user));
  const surface = surfaceOf(input);
  const blockId = text(input.blockId);
  const actionId = text(input.actionId);
  const view = "viewId" in surface ? store.viewOf(user.id, surface.viewId) : undefined;
  const message = "channel" in surface ? store.findMessage(surface.channel, surface.ts) : undefined;
  const answer = await sender.blockSuggestion({
    userId: user.id,
    userName: user.userName,
    blockId,
    actionId,
    value: text(input.value),
    container: view
      ? { type: "view", view_id: view.id }
      : { type: "message", message_ts: message?.ts, channel_id: message?.channel },
    ...(view ? { view: viewJson(view) } : {}),
    ...(message
      ? {
          channel: { id: message.channel },
          message: { ts: message.ts, text: message.text, blocks: message.blocks },
        }
      : {}),
  });
  const body = obj(answer.body);
  const loaded = [
    ...(Array.isArray(body.options) ? body.options.map(obj) : []),
    ...(Array.isArray(body.option_groups)
      ? body.option_groups.flatMap((g) =>
          Array.isArray(obj(g).options) ? (obj(g).options as unknown[]).map(obj) : [],
        )
      : []),
  ];
  loadedOptions.set(`${user.id}:${actionId}`, loaded);
  return { options: loaded.map((o) => ({ value: text(o.value), text: text(obj(o.text).text) })) };
}

async function openHome(context: InteractionContext, input: Json) {
  const { store, sender } = context;
  const user = await person(context, text(input.user));
  const home = store.home(user.id);
  const answer = await sender.appHomeOpened({
    userId: user.id,
    channelId: dmChannelOf(user.id),
    ...(home ? { viewJson: viewJson(home) } : {}),
  });
  return { status: answer.status };
}

/** The demo company, in the console's workspace, with #billing and #collections as its channels. */
async function seed(context: InteractionContext) {
  const deps = context.deps();
  const workspaceId = await prepareConsoleWorkspace(deps.db);
  const result = await seedDemo(contextFor(deps, workspaceId, systemActor("demo")), {});
  return { seeded: result };
}

/** Today's overdue scan, as the scheduler runs it at the workspace's scan hour. */
async function overdueScan(context: InteractionContext) {
  const deps = context.deps();
  const directory = await loadConsoleDirectory(deps.db);
  if (!directory.workspaceId) throw new HttpError(409, "no_workspace", "Seed the demo first.");
  const [run] = await runCollectionJob(deps, "overdue-scan", { workspaceId: directory.workspaceId });
  return { scan: run?.result ?? null };
}

type Handler = (context: InteractionContext, input: Json) => Promise<unknown>;
const HANDLERS: Record<string, Handler> = {
  command,
  action,
  submit,
  close: closeModal,
  options,
  home: openHome,
  seed,
  "overdue-scan": overdueScan,
};

export function interactionRoutes(context: InteractionContext): Route[] {
  return Object.entries(HANDLERS).map(([name, handler]) => ({
    method: "POST",
    path: `/console/do/${name}`,
    handler: async (
      _req: IncomingMessage,
      res: ServerResponse,
      _params: Record<string, string>,
      body: Buffer,
    ) => sendJson(res, await handler(context, parse(body))),
  }));
}
