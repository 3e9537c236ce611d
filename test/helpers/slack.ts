// Drives the real Bolt app over signed HTTP, mounted on Cobro's own HTTP server on port 0.
//
//   const api = slackApi();                                // fake Web API (test/helpers/slack-api.ts)
//   const slack = await startSlackTestApp({ db: database.db });
//   const ws = await createWorkspace(database.db);         // its slackTeamId is the team of requests
//   const res = await slack.command({ teamId: ws.slackTeamId!, userId: "U1", command: "/milestone", text: "done atlas design" });
//   await api.waitFor("hook");                             // the ephemeral reply (response_url)
//   await slack.runDeliveries();                           // what the queue worker would post
//   await slack.close();
//
// Requests are signed like Slack signs them: v0=HMAC-SHA256(secret, "v0:<ts>:<raw body>").
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Config } from "../../src/config.ts";
import { sign } from "../../src/console/sign-request.ts";
import type { Clock } from "../../src/context.ts";
import type { Database, Db } from "../../src/db/client.ts";
import { deliveries } from "../../src/db/schema/index.ts";
import {
  byPayloadType,
  type DeliveryHandlers,
  type DeliveryOutcome,
  runDelivery,
} from "../../src/delivery/index.ts";
import { healthRoutes } from "../../src/http/health.ts";
import { createHttpServer } from "../../src/http/server.ts";
import { invoiceSlackHandlers } from "../../src/invoicing/index.ts";
import { createSlackSenderFor } from "../../src/job-catalogue.ts";
import { createCipher } from "../../src/secrets.ts";
import { createSlackApp, type SlackApp } from "../../src/slack/app.ts";
import type { WorkGateLimits } from "../../src/slack/bounded-app.ts";
import type { RegisterListeners } from "../../src/slack/kit/support.ts";
import { testDatabase } from "./db.ts";
import { fixedClock, serviceDeps, silentLogger } from "./deps.ts";
import { RESPONSE_URL_BASE, SLACK_API_URL, type SlackApiFake, slackApi } from "./slack-api.ts";

export const SIGNING_SECRET = "test-signing-secret";
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7);

export type SlackTestApp = {
  baseUrl: string;
  slack: SlackApp;
  /** Delivery ids the services handed to the queue, in order (drained by runDeliveries). */
  enqueued: string[];
  now: Clock & { set: (iso: string) => void };
  /**
   * Runs every enqueued delivery once, as the queue worker would; returns the outcomes. Kinds
   * without a handler here (e-mail) stay pending; "retry later" ones go back to `enqueued`.
   */
  runDeliveries: (ids?: string[]) => Promise<DeliveryOutcome[]>;
  handlers: DeliveryHandlers;
  /** POST /slack/events with a raw body; signed unless `signature` or `timestamp` override it. */
  post: (
    body: string,
    options?: {
      contentType?: string;
      timestamp?: number;
      signature?: string | null;
      headers?: Record<string, string>;
    },
  ) => Promise<{ status: number; text: string; json: () => unknown }>;
  command: (input: CommandInput) => Promise<{ status: number; text: string }>;
  action: (input: ActionInput) => Promise<{ status: number; text: string }>;
  viewSubmission: (
    input: ViewSubmissionInput,
  ) => Promise<{ status: number; text: string; json: () => unknown }>;
  event: (input: EventInput) => Promise<{ status: number; text: string }>;
  close: () => Promise<void>;
};

export type CommandInput = {
  teamId: string;
  userId: string;
  command: string;
  text?: string;
  channelId?: string;
  triggerId?: string;
};
export type ActionInput = {
  teamId: string;
  userId: string;
  actionId: string;
  value: string;
  channelId?: string;
  messageTs?: string;
  /** "message" (a button on a channel message, has a response_url) or "view" (App Home, modal). */
  container?: "message" | "view";
  /** A static_select choice instead of a button click: `value` is the selected option's value. */
  select?: boolean;
};
export type ViewSubmissionInput = {
  teamId: string;
  userId: string;
  callbackId: string;
  values: Record<string, Record<string, Record<string, unknown>>>;
  privateMetadata?: string;
  viewId?: string;
  /** The modal's blocks as Slack sends them back (input blocks carry the block_ids of `values`). */
  blocks?: Record<string, unknown>[];
};
export type EventInput = {
  teamId: string;
  event: Record<string, unknown>;
  eventId?: string;
  retryNum?: number;
};

export { sign };

export type SlackTestAppOptions = {
  db: Db;
  mode?: "single" | "oauth";
  now?: Clock & { set: (iso: string) => void };
  register?: RegisterListeners[];
  channelIntervalMs?: number;
  postAckWork?: WorkGateLimits;
};

/**
 * A test file's usual set-up: the worker's database and one app for the file, the fake Web API
 * reset and the queue emptied before each test, the app closed after the file.
 *
 *   const slack = useSlackTestApp();
 *   it("…", async () => { await slack.app.command({ … }); await slack.api.waitFor("hook"); });
 */
export function useSlackTestApp(options: Omit<SlackTestAppOptions, "db"> = {}): {
  api: SlackApiFake;
  readonly app: SlackTestApp;
  readonly database: Database;
} {
  const api = slackApi();
  let database: Database | undefined;
  let app: SlackTestApp | undefined;
  beforeAll(async () => {
    database = await testDatabase();
    app = await startSlackTestApp({ ...options, db: database.db });
  });
  afterAll(async () => {
    await app?.close();
    // A file's own msw handlers (held or failing replies) must not reach the next file of the worker.
    api.reset();
  });
  beforeEach(() => {
    api.reset();
    if (app) app.enqueued.length = 0;
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useSlackTestApp: the app starts in beforeAll");
    return value;
  };
  return {
    api,
    get app() {
      return started(app);
    },
    get database() {
      return started(database);
    },
  };
}

export async function startSlackTestApp(options: SlackTestAppOptions): Promise<SlackTestApp> {
  const now = options.now ?? fixedClock("2026-11-23T09:00:00Z");
  const deps = serviceDeps(options.db, now);
  const mode = options.mode ?? "single";
  const slackConfig: Config["slack"] = {
    mode,
    signingSecret: SIGNING_SECRET,
    botToken: mode === "single" ? "xoxb-test-token" : undefined,
    appToken: undefined,
    clientId: mode === "oauth" ? "123.456" : undefined,
    clientSecret: mode === "oauth" ? "client-secret" : undefined,
    stateSecret: mode === "oauth" ? "state-secret" : undefined,
    apiUrl: SLACK_API_URL,
  };
  const slack = createSlackApp({
    deps,
    slack: slackConfig,
    cipher: createCipher(TEST_ENCRYPTION_KEY),
    publicUrl: "https://cobro.example.com",
    ...(options.register ? { register: options.register } : {}),
    ...(options.postAckWork ? { postAckWork: options.postAckWork } : {}),
    retries: 0,
  });
  // Only the invoice posts: tests of other Slack deliveries run their own handlers.
  const sender = createSlackSenderFor({
    slack: slackConfig,
    db: options.db,
    now,
    installationStore: slack.installationStore,
    channelIntervalMs: options.channelIntervalMs ?? 0,
  });
  const handlers: DeliveryHandlers = {
    slack_message: byPayloadType(sender ? invoiceSlackHandlers(sender, options.db) : {}),
  };
  const server = createHttpServer(
    [...healthRoutes(() => ({ step: "ready" })), ...slack.routes],
    silentLogger,
  );
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const post: SlackTestApp["post"] = async (body, postOptions = {}) => {
    const timestamp = postOptions.timestamp ?? Math.floor(Date.now() / 1000);
    const signature =
      postOptions.signature === undefined ? sign(SIGNING_SECRET, timestamp, body) : postOptions.signature;
    const response = await fetch(`${baseUrl}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": postOptions.contentType ?? "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(timestamp),
        ...(signature === null ? {} : { "x-slack-signature": signature }),
        ...postOptions.headers,
      },
      body,
    });
    const text = await response.text();
    return { status: response.status, text, json: () => JSON.parse(text) };
  };

  const responseUrl = () => `${RESPONSE_URL_BASE}actions/${randomUUID()}`;

  return {
    baseUrl,
    slack,
    enqueued: deps.enqueued,
    now,
    handlers,
    post,
    runDeliveries: async (ids) => {
      const todo = ids ?? deps.enqueued.splice(0, deps.enqueued.length);
      const outcomes: DeliveryOutcome[] = [];
      const kinds = new Map(
        todo.length === 0
          ? []
          : (
              await options.db
                .select({ id: deliveries.id, kind: deliveries.kind })
                .from(deliveries)
                .where(inArray(deliveries.id, todo))
            ).map((row) => [row.id, row.kind]),
      );
      for (const id of todo) {
        const kind = kinds.get(id);
        if (!kind || !handlers[kind]) continue;
        const outcome = await runDelivery(options.db, handlers, id, silentLogger);
        if (outcome.status === "retryLater") deps.enqueued.push(id);
        outcomes.push(outcome);
      }
      return outcomes;
    },
    command: (input) =>
      post(
        new URLSearchParams({
          token: "legacy-verification-token",
          team_id: input.teamId,
          team_domain: "acme",
          channel_id: input.channelId ?? "CPROJECT1",
          channel_name: "project",
          user_id: input.userId,
          user_name: input.userId.toLowerCase(),
          command: input.command,
          text: input.text ?? "",
          api_app_id: "ACOBRO",
          is_enterprise_install: "false",
          response_url: `${RESPONSE_URL_BASE}commands/${input.teamId}/${randomUUID()}`,
          trigger_id: input.triggerId ?? `${Date.now()}.${randomUUID().slice(0, 8)}`,
        }).toString(),
      ),
    action: (input) => {
      const container = input.container ?? "message";
      const payload = {
        type: "block_actions",
        user: {
          id: input.userId,
          username: input.userId.toLowerCase(),
          name: input.userId,
          team_id: input.teamId,
        },
        api_app_id: "ACOBRO",
        token: "legacy-verification-token",
        container:
          container === "message"
            ? {
                type: "message",
                message_ts: input.messageTs ?? "1700000000.000100",
                channel_id: input.channelId ?? "CBILLING",
                is_ephemeral: false,
              }
            : { type: "view", view_id: "VHOME" },
        trigger_id: `${Date.now()}.${randomUUID().slice(0, 8)}`,
        team: { id: input.teamId, domain: "acme" },
        enterprise: null,
        is_enterprise_install: false,
        ...(container === "message"
          ? { channel: { id: input.channelId ?? "CBILLING", name: "billing" }, response_url: responseUrl() }
          : { view: { id: "VHOME", type: "home", team_id: input.teamId } }),
        actions: [
          input.select
            ? {
                action_id: input.actionId,
                block_id: "invoice_actions",
                type: "static_select",
                selected_option: { text: { type: "plain_text", text: "option" }, value: input.value },
                action_ts: `${Date.now() / 1000}`,
              }
            : {
                action_id: input.actionId,
                block_id: "invoice_actions",
                text: { type: "plain_text", text: "button", emoji: true },
                value: input.value,
                type: "button",
                action_ts: `${Date.now() / 1000}`,
              },
        ],
      };
      return post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    },
    viewSubmission: (input) => {
      const payload = {
        type: "view_submission",
        team: { id: input.teamId, domain: "acme" },
        user: {
          id: input.userId,
          username: input.userId.toLowerCase(),
          name: input.userId,
          team_id: input.teamId,
        },
        api_app_id: "ACOBRO",
        token: "legacy-verification-token",
        trigger_id: `${Date.now()}.${randomUUID().slice(0, 8)}`,
        view: {
          id: input.viewId ?? "VMODAL1",
          team_id: input.teamId,
          type: "modal",
          callback_id: input.callbackId,
          private_metadata: input.privateMetadata ?? "",
          state: { values: input.values },
          hash: "1700000000.abc",
          title: { type: "plain_text", text: "Cobro" },
          blocks: input.blocks ?? [],
          app_id: "ACOBRO",
          bot_id: "BCOBRO",
        },
        response_urls: [],
        is_enterprise_install: false,
        enterprise: null,
      };
      return post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    },
    event: (input) =>
      post(
        JSON.stringify({
          token: "legacy-verification-token",
          team_id: input.teamId,
          api_app_id: "ACOBRO",
          event: input.event,
          type: "event_callback",
          event_id: input.eventId ?? `Ev${randomUUID().replaceAll("-", "").slice(0, 10).toUpperCase()}`,
          event_time: Math.floor(Date.now() / 1000),
          authorizations: [
            {
              enterprise_id: null,
              team_id: input.teamId,
              user_id: "UCOBROBOT",
              is_bot: true,
              is_enterprise_install: false,
            },
          ],
          is_ext_shared_channel: false,
        }),
        {
          contentType: "application/json",
          ...(input.retryNum
            ? {
                headers: {
                  "x-slack-retry-num": String(input.retryNum),
                  "x-slack-retry-reason": "http_timeout",
                },
              }
            : {}),
        },
      ),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
