// What services, jobs and transports receive: built once in main.ts, passed down, never global.
import type { types } from "@slack/bolt";
import type { Config } from "./config.ts";
import type { Database, Db } from "./db/client.ts";
import type { Actor } from "./domain/permissions.ts";
import type { Logger } from "./logger.ts";

export type Clock = () => Date;

/**
 * The minimum a service needs. `enqueue` hands claimed delivery ids to the durable queue; call it
 * after the transaction that claimed them has committed (a sweeper re-enqueues any that are lost).
 */
export type ServiceDeps = {
  db: Db;
  now: Clock;
  logger: Logger;
  enqueue: (deliveryIds: string[]) => Promise<void>;
};

export type AppContext = ServiceDeps & {
  config: Config;
  database: Database;
};

/**
 * What a service may ask of Slack beyond the reply to a request: post in a channel, hand a file to
 * someone in their DM. Built from the request's client (src/slack/kit/slack-port.ts). A post to a
 * channel Cobro is not in fails with the DomainError `slack.not_in_channel`.
 */
export type SlackPort = {
  postMessage: (message: { channel: string; text: string; blocks?: types.KnownBlock[] }) => Promise<void>;
  /** Replaces a message Cobro posted (a request once answered from a modal, which has no response_url). */
  updateMessage: (message: {
    channel: string;
    ts: string;
    text: string;
    blocks?: types.KnownBlock[];
  }) => Promise<void>;
  sendFileToUser: (file: {
    userId: string;
    filename: string;
    title: string;
    /** Text (a CSV) or bytes (a PNG). */
    content: string | Uint8Array;
    comment: string;
  }) => Promise<void>;
};

/** The deps of a service that acts in Slack as well. */
export type SlackServiceDeps = ServiceDeps & { slack: SlackPort };

/**
 * What every service receives first: the deps, the workspace it acts in and who acts. Built once per
 * request or run by its transport (Slack: slack/kit/support.ts `ctxOf`; CLI: cli/ctx.ts; HTTP API:
 * the key's principal; scheduler and jobs: `contextFor` with a system actor); never from a payload.
 */
export type Ctx = ServiceDeps & { workspaceId: string; actor: Actor; slack?: SlackPort };

/** The ctx of a service that acts in Slack as well. */
export type SlackCtx = Ctx & { slack: SlackPort };

/** The one way to make a ctx: the deps (only the service deps are kept), the workspace, the actor. */
export function contextFor(deps: ServiceDeps, workspaceId: string, actor: Actor): Ctx {
  return { db: deps.db, now: deps.now, logger: deps.logger, enqueue: deps.enqueue, workspaceId, actor };
}
