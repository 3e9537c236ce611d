// The Bolt app: HTTP receiver mounted on Cobro's own server (or Socket Mode for local development),
// OAuth installations in PostgreSQL, one workspace per verified team_id, Events API retries deduped.

import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type AnyMiddlewareArgs,
  type App,
  type Authorize,
  type AuthorizeResult,
  HTTPModuleFunctions,
  HTTPReceiver,
  LogLevel,
  type Middleware,
  webApi,
} from "@slack/bolt";
import type { Config } from "../config.ts";
import type { ServiceDeps } from "../context.ts";
import type { Route } from "../http/server.ts";
import type { Cipher } from "../secrets.ts";
import {
  createInstallationStore,
  ensureSlackWorkspace,
  identifySlackUser,
  type PostgresInstallationStore,
  recordSlackEvent,
} from "../workspace/index.ts";
import {
  BoundedApp,
  type BoundedAppOptions,
  BusyError,
  createLocaleMemory,
  createWorkGate,
  guardSlackEvents,
  type LocaleMemory,
  refuseNul,
  type ShedKind,
  type WorkGate,
  type WorkGateLimits,
} from "./bounded-app.ts";
import {
  createSlackUserEmails,
  type ListenerDeps,
  logReplyFailure,
  type RegisterListeners,
  type SlackUserEmails,
  UNEXPECTED,
} from "./kit/support.ts";
import { registerSlackRegistry } from "./registry.ts";

/** Bot scopes the code needs; manifest.yml requests exactly these (checked by a test). */
export const BOT_SCOPES = [
  "commands",
  "chat:write",
  "chat:write.public",
  "im:write",
  "users:read",
  "users:read.email",
  "files:write",
  // Bank statements shared with Cobro (file_shared) are read with files.info and downloaded.
  "files:read",
  // Read back only after a crash mid-post, to find Cobro's own post by its metadata (docs/delivery.md).
  "channels:history",
  "groups:history",
] as const;

export type SlackSettings = Config["slack"];

export type SlackAppOptions = {
  deps: ListenerDeps;
  slack: SlackSettings;
  /** Encrypts OAuth tokens at rest (needed in OAuth mode). */
  cipher?: Cipher;
  publicUrl: string;
  /**
   * Extra listener registrations from other areas (aging, collections, timesheets): each is
   * called with the app and the service deps after Cobro's own listeners.
   */
  register?: RegisterListeners[];
  /** Retries of the request-path Web API client: keep them short (trigger_id lives 3 s). */
  retries?: number;
  /** Bound on the work requests do after their ack, per process (see bounded-app.ts). */
  postAckWork?: WorkGateLimits;
};

/**
 * A few requests' work at a time keeps the event loop free for acks and each reply quick; the
 * backlog is a few seconds of work at that pace, more would only make the replies late.
 */
export const POST_ACK_WORK_DEFAULTS: WorkGateLimits = { concurrency: 4, backlog: 16 };

export type SlackApp = {
  app: App;
  mode: SlackSettings["mode"];
  /** Routes to add to Cobro's HTTP server (HTTP and OAuth modes; none in Socket Mode). */
  routes: Route[];
  installationStore: PostgresInstallationStore | undefined;
  /** The bound on post-ack work: how much runs and waits right now. */
  postAckWork: Pick<WorkGate, "running" | "waiting">;
  /** Connects Socket Mode; a no-op over HTTP (the server is Cobro's own). */
  start: () => Promise<void>;
  /** Lets accepted requests finish their work (replies included) before the database closes. */
  stop: () => Promise<void>;
};

const SHUTDOWN_GRACE_MS = 20_000;
/** Bolt's own default (4 MB), stated so that Cobro's server refuses the same bodies up front. */
const SLACK_BODY_LIMIT = 4 * 1024 * 1024;

function teamOf(
  body: Record<string, unknown>,
  context: Record<string, unknown>,
): { teamId?: string; enterpriseId?: string } {
  const team = body.team as { id?: string } | undefined;
  const teamId =
    (typeof context.teamId === "string" && context.teamId) ||
    (typeof body.team_id === "string" && body.team_id) ||
    team?.id ||
    undefined;
  const enterpriseId = typeof context.enterpriseId === "string" ? context.enterpriseId : undefined;
  return { ...(teamId ? { teamId } : {}), ...(enterpriseId ? { enterpriseId } : {}) };
}

/** Drops Events API deliveries whose event_id was already processed (Slack retries). */
function dedupeEvents(deps: ServiceDeps): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next, logger }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === "string" && !(await recordSlackEvent(deps.db, eventId))) {
      logger.debug(`event ${eventId} already processed: skipped`);
      return;
    }
    await next();
  };
}

/** Puts the workspace of the verified team_id on the context; never taken from a payload value. */
function resolveWorkspace(deps: ServiceDeps): Middleware<AnyMiddlewareArgs> {
  const cache = new Map<string, string>();
  return async ({ body, context, next }) => {
    const { teamId, enterpriseId } = teamOf(body as Record<string, unknown>, context);
    if (teamId) {
      let workspaceId = cache.get(teamId);
      if (!workspaceId) {
        workspaceId = (await ensureSlackWorkspace(deps.db, { teamId, enterpriseId: enterpriseId ?? null }))
          .workspaceId;
        cache.set(teamId, workspaceId);
      }
      context.workspaceId = workspaceId;
    }
    await next();
  };
}

function userOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.user_id === "string") return body.user_id;
  const user = body.user as { id?: unknown } | undefined;
  if (typeof user?.id === "string") return user.id;
  const event = body.event as { type?: unknown; user?: unknown; user_id?: unknown } | undefined;
  if (event?.type === "file_shared" && typeof event.user_id === "string") return event.user_id;
  return event?.type === "app_home_opened" && typeof event.user === "string" ? event.user : undefined;
}

/**
 * Whoever acts is linked to the member with their Slack e-mail (once) and put on the context as the
 * request's actor (`context.actor`, read by `ctxOf`): the one lookup of the member per request. Their
 * language (see identifySlackUser): what the database knows goes on the context at once (`localeOf`);
 * asking Slack waits for a listener that replies (`readerLocale`), so that nothing delays a views.open.
 * `context.slackProfileOf` lets a listener ask Slack about other users (setup's pickers).
 */
function identifySlackUsers(
  deps: ServiceDeps,
  emails: SlackUserEmails,
  locales: LocaleMemory,
): Middleware<AnyMiddlewareArgs> {
  return async ({ body, context, client, next }) => {
    const userId = userOf(body as Record<string, unknown>);
    const { teamId } = teamOf(body as Record<string, unknown>, context);
    const workspaceId = context.workspaceId;
    if (typeof workspaceId === "string") {
      const profileOf = teamId ? (user: string) => emails.profileOf(client, teamId, user) : undefined;
      if (userId && profileOf) context.slackProfileOf = profileOf;
      const identified = await identifySlackUser(deps, {
        workspaceId,
        slackUserId: userId,
        profile: userId && profileOf ? () => profileOf(userId) : null,
        reason: "acted in Slack with this e-mail",
      });
      if (identified.actor) context.actor = identified.actor;
      context.locale = identified.locale.known;
      context.askLocale = identified.locale.ask;
      if (teamId && userId) locales.remember(teamId, userId, identified.locale.known);
    }
    await next();
  };
}

/**
 * Single-workspace authorization: the bot token with its ids from one auth.test, made on the first
 * request and retried on the next one if Slack was unreachable (Bolt's own version calls it at
 * construction and an unreachable Slack crashes the process).
 */
function singleWorkspaceAuthorize(token: string, clientOptions: webApi.WebClientOptions): Authorize<boolean> {
  const client = new webApi.WebClient(token, clientOptions);
  let cached: Promise<AuthorizeResult> | undefined;
  return async () => {
    cached ??= client.auth.test().then((result) => ({
      botToken: token,
      ...(result.bot_id ? { botId: result.bot_id } : {}),
      ...(result.user_id ? { botUserId: result.user_id } : {}),
    }));
    try {
      // A fresh object each time: Bolt writes the request's team and user into it.
      return { ...(await cached) };
    } catch (error) {
      cached = undefined;
      throw error;
    }
  };
}

/**
 * With one bot token Cobro knows its team before any request: auth.test says which, and the
 * workspace made by `cobro import` before Slack was connected is bound to it now.
 */
async function learnTeam(deps: ServiceDeps, client: webApi.WebClient): Promise<void> {
  try {
    const result = await client.auth.test();
    if (!result.team_id) return;
    const { bound } = await ensureSlackWorkspace(deps.db, {
      teamId: result.team_id,
      name: result.team ?? null,
    });
    if (bound) deps.logger.info({ teamId: result.team_id }, "workspace bound to its Slack team");
  } catch (error) {
    deps.logger.warn(
      { err: error },
      "could not ask Slack which team this bot belongs to (auth.test): the first request will bind the workspace",
    );
  }
}

async function postEphemeral(responseUrl: string, text: string): Promise<void> {
  const response = await fetch(responseUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ response_type: "ephemeral", replace_original: false, text }),
  });
  if (!response.ok) throw new Error(`response_url answered ${response.status}`);
}

/** Shed requests are counted and logged once every few seconds, not one line each in a flood. */
function countShedRequests(deps: ServiceDeps): (kind: ShedKind) => void {
  const counts = new Map<ShedKind, number>();
  return (kind) => {
    if (counts.size === 0) {
      setTimeout(() => {
        deps.logger.warn(
          { shed: Object.fromEntries(counts) },
          "busy: Slack requests refused with a retry message",
        );
        counts.clear();
      }, 5_000).unref();
    }
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  };
}

function boltLogLevel(level: string): LogLevel {
  if (level === "debug" || level === "trace") return LogLevel.DEBUG;
  if (level === "info") return LogLevel.INFO;
  if (level === "warn") return LogLevel.WARN;
  return LogLevel.ERROR;
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { deps, slack } = options;
  if (slack.mode === "off") throw new Error("Slack is not configured");
  const clientOptions = {
    ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl.endsWith("/") ? slack.apiUrl : `${slack.apiUrl}/` } : {}),
    retryConfig: { retries: options.retries ?? 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
  };
  const logger = {
    debug: (...msg: unknown[]) => deps.logger.debug({ slack: true }, msg.map(String).join(" ")),
    info: (...msg: unknown[]) => deps.logger.info({ slack: true }, msg.map(String).join(" ")),
    warn: (...msg: unknown[]) => deps.logger.warn({ slack: true }, msg.map(String).join(" ")),
    error: (...msg: unknown[]) => deps.logger.error({ slack: true }, msg.map(String).join(" ")),
    setLevel: () => {},
    getLevel: () => boltLogLevel(deps.logger.level),
    setName: () => {},
  };
  const oauth = slack.mode === "oauth";
  let installationStore: PostgresInstallationStore | undefined;
  if (oauth) {
    if (!options.cipher) throw new Error("OAuth mode needs an encryption key for tokens at rest");
    installationStore = createInstallationStore(deps.db, options.cipher);
  }
  const locales = createLocaleMemory();
  const gate = createWorkGate(options.postAckWork ?? POST_ACK_WORK_DEFAULTS);
  const common: BoundedAppOptions = {
    logger,
    convoStore: false,
    clientOptions,
    extendedErrorHandler: true,
    gate,
    onShed: countShedRequests(deps),
    postBusyNotice: (responseUrl, text) =>
      postEphemeral(responseUrl, text).catch(logReplyFailure(deps, "busy notice")),
    locales,
  };

  let app: App;
  let routes: Route[] = [];
  if (slack.mode === "socket") {
    app = new BoundedApp({
      ...common,
      socketMode: true,
      appToken: slack.appToken,
      authorize: singleWorkspaceAuthorize(slack.botToken ?? "", clientOptions),
    });
  } else {
    const receiver = new HTTPReceiver({
      signingSecret: slack.signingSecret ?? "",
      bodyLimit: SLACK_BODY_LIMIT,
      logger,
      processBeforeResponse: false,
      ...(oauth
        ? {
            clientId: slack.clientId,
            clientSecret: slack.clientSecret,
            stateSecret: slack.stateSecret,
            scopes: [...BOT_SCOPES],
            installationStore,
            redirectUri: `${options.publicUrl}/slack/oauth_redirect`,
            installerOptions: {
              redirectUriPath: "/slack/oauth_redirect",
              installPath: "/slack/install",
              directInstall: true,
              clientOptions,
            },
          }
        : {}),
      processEventErrorHandler: async (args) => {
        if (args.error instanceof BusyError && !args.response.headersSent) {
          args.response.writeHead(503, { "retry-after": "60" });
          args.response.end();
          return true;
        }
        return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
      },
      dispatchErrorHandler: async ({ error, response }) => {
        deps.logger.warn({ err: error }, "unhandled slack request");
        if (!response.headersSent) {
          response.writeHead(404, { "content-type": "application/json" });
          response.end(JSON.stringify({ error: "not found" }));
        }
      },
    });
    app = new BoundedApp({
      ...common,
      receiver,
      ...(oauth ? {} : { authorize: singleWorkspaceAuthorize(slack.botToken ?? "", clientOptions) }),
    });
    const listener = receiver.requestListener as (req: IncomingMessage, res: ServerResponse) => void;
    const handler = (req: IncomingMessage, res: ServerResponse) => listener(req, res);
    routes = [
      {
        method: "POST",
        path: "/slack/events",
        handler: guardSlackEvents(listener, deps.logger),
        maxBodyBytes: SLACK_BODY_LIMIT,
      },
      ...(oauth
        ? [
            { method: "GET", path: "/slack/install", handler },
            { method: "GET", path: "/slack/oauth_redirect", handler },
          ]
        : []),
    ];
  }

  app.use(dedupeEvents(deps));
  app.use(resolveWorkspace(deps));
  const emails = createSlackUserEmails();
  app.use(identifySlackUsers(deps, emails, locales));
  app.use(refuseNul());

  app.error((async ({
    error,
    logger: boltLogger,
    body,
  }: {
    error: Error & { code?: string };
    logger: { error: (message: string) => void };
    body?: unknown;
  }) => {
    boltLogger.error(`slack listener error: ${error.message}`);
    deps.logger.error({ err: error, code: error.code }, "slack listener error");
    const responseUrl = (body as { response_url?: string } | undefined)?.response_url;
    if (responseUrl) {
      await postEphemeral(responseUrl, `:warning: ${UNEXPECTED}`).catch(logReplyFailure(deps, "reply"));
    }
  }) as unknown as Parameters<App["error"]>[0]);

  const store = installationStore;
  registerSlackRegistry(app, {
    ...deps,
    ...(store ? { removeInstallation: (query) => store.deleteInstallation(query) } : {}),
  });
  for (const register of options.register ?? []) register(app, deps);

  return {
    app,
    mode: slack.mode,
    routes,
    installationStore,
    start: async () => {
      if (!oauth && slack.botToken)
        await learnTeam(deps, new webApi.WebClient(slack.botToken, clientOptions));
      if (slack.mode === "socket") await app.start();
    },
    postAckWork: gate,
    stop: async () => {
      if (slack.mode === "socket") await app.stop();
      await gate.idle(SHUTDOWN_GRACE_MS);
    },
  };
}
