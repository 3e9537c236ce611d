// The console's page and what it reads: the workspace as one person sees it (rendered HTML, from
// render-blocks.ts), the live stream of changes (server-sent events), uploaded files, the outbox.
import type { ServerResponse } from "node:http";
import type { Db } from "../db/client.ts";
import { HttpError, type Route } from "../http/server.ts";
import { BOT_USER_ID, type ConsoleMessage, type ConsoleStore, type ConsoleView } from "./console-store.ts";
import { type ConsoleDirectory, loadConsoleDirectory } from "./directory.ts";
import { CONSOLE_PAGE } from "./page.ts";
import { readOutbox } from "./read-outbox.ts";
import { escapeHtml, type Names, renderBlocks, renderMrkdwn, renderText } from "./render-blocks.ts";

export type PageContext = { store: ConsoleStore; db: () => Db; dataDir: string };

function namesOf(directory: ConsoleDirectory): Names {
  return {
    users: { ...Object.fromEntries(directory.people.map((p) => [p.id, p.name])), [BOT_USER_ID]: "Cobro" },
    channels: Object.fromEntries(
      directory.channels.filter((c) => c.kind === "channel").map((c) => [c.id, c.name]),
    ),
  };
}

/** A message as the page shows it: its blocks rendered, or its text when it has none (as Slack does). */
function messageJson(message: ConsoleMessage, names: Names, replies: number) {
  const body =
    message.blocks.length > 0 ? renderBlocks(message.blocks, names) : renderMrkdwn(message.text, names);
  return {
    channel: message.channel,
    ts: message.ts,
    threadTs: message.threadTs ?? null,
    author: names.users?.[message.user] ?? message.user,
    bot: message.user === BOT_USER_ID,
    ephemeral: Boolean(message.ephemeralTo),
    edited: Boolean(message.edited),
    html: body,
    files: message.files ?? [],
    replies,
  };
}

function viewJson(view: ConsoleView, names: Names) {
  return {
    id: view.id,
    hash: view.hash,
    title: view.view.title ? renderText(view.view.title) : "",
    submit: view.view.submit ? renderText(view.view.submit) : null,
    close: view.view.close ? renderText(view.view.close) : escapeHtml("Cancel"),
    html: renderBlocks(view.view.blocks, names),
  };
}

async function stateFor(context: PageContext, userId: string) {
  const directory = await loadConsoleDirectory(context.db());
  const names = namesOf(directory);
  const visible = context.store.messages().filter((m) => !m.ephemeralTo || m.ephemeralTo === userId);
  const replyCount = (m: ConsoleMessage) =>
    visible.filter((r) => r.threadTs === m.ts && r.channel === m.channel).length;
  const home = context.store.home(userId);
  return {
    directory,
    messages: visible.map((m) => messageJson(m, names, m.threadTs ? 0 : replyCount(m))),
    modals: context.store.modalStack(userId).map((v) => viewJson(v, names)),
    home: home ? viewJson(home, names) : null,
  };
}

function streamEvents(context: PageContext, res: ServerResponse) {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
  });
  res.write("retry: 1000\n\n");
  const unsubscribe = context.store.subscribe((event) => {
    res.write(
      `data: ${JSON.stringify(event.type === "message" ? { type: "message", channel: event.message.channel } : event)}\n\n`,
    );
  });
  const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
  keepAlive.unref();
  res.on("close", () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}

const CONTENT_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  csv: "text/csv; charset=utf-8",
  xml: "application/xml",
  txt: "text/plain; charset=utf-8",
  json: "application/json",
};

function sendFile(res: ServerResponse, name: string, bytes: Buffer, contentType?: string) {
  const extension = name.split(".").pop()?.toLowerCase() ?? "";
  res.writeHead(200, {
    "content-type": contentType ?? CONTENT_TYPES[extension] ?? "application/octet-stream",
    "content-disposition": `inline; filename*=UTF-8''${encodeURIComponent(name)}`,
    "x-content-type-options": "nosniff",
  });
  res.end(bytes);
}

export function pageRoutes(context: PageContext): Route[] {
  return [
    {
      method: "GET",
      path: "/",
      handler: (_req, res) => {
        res.writeHead(302, { location: "/console" }).end();
      },
    },
    {
      method: "GET",
      path: "/console",
      handler: (_req, res) => {
        res.writeHead(200, {
          "content-type": "text/html; charset=utf-8",
          "content-security-policy":
            "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data: https:",
          "cache-control": "no-store",
        });
        res.end(CONSOLE_PAGE);
      },
    },
    {
      method: "GET",
      path: "/console/state",
      handler: async (req, res) => {
        const user = new URL(req.url ?? "/", "http://console").searchParams.get("user") ?? "";
        res.writeHead(200, {
          "content-type": "application/json; charset=utf-8",
          "cache-control": "no-store",
        });
        res.end(JSON.stringify(await stateFor(context, user)));
      },
    },
    { method: "GET", path: "/console/events", handler: (_req, res) => streamEvents(context, res) },
    {
      method: "GET",
      path: "/console/files/:id",
      handler: (_req, res, params) => {
        const file = context.store.file(params.id ?? "");
        if (!file) throw new HttpError(404, "file_not_found", "No such file in this console run.");
        sendFile(res, file.name, file.bytes);
      },
    },
    {
      method: "GET",
      path: "/console/outbox",
      handler: async (_req, res) => {
        const mails = await readOutbox(context.dataDir);
        res.writeHead(200, {
          "content-type": "application/json; charset=utf-8",
          "cache-control": "no-store",
        });
        res.end(
          JSON.stringify(
            mails.map((m) => ({
              ...m,
              attachments: m.attachments.map((a) => ({ filename: a.filename, size: a.content.length })),
            })),
          ),
        );
      },
    },
    {
      method: "GET",
      path: "/console/outbox/:file/:index",
      handler: async (_req, res, params) => {
        const mail = (await readOutbox(context.dataDir)).find((m) => m.file === params.file);
        const attachment = mail?.attachments[Number(params.index)];
        if (!attachment) throw new HttpError(404, "not_found", "No such e-mail attachment in the outbox.");
        sendFile(res, attachment.filename, attachment.content, attachment.contentType);
      },
    },
  ];
}
