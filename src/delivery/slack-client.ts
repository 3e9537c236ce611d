// The Web API client of delivery handlers: fails fast on 429 (the durable queue waits instead of
// stalling every call), paces posts to about one a second per channel, and says which Slack
// errors retrying cannot fix.
import { type ChatPostMessageArguments, ErrorCode, WebClient } from "@slack/web-api";
import { eq, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.ts";
import { deliverySends, slackChannelPacing, workspaces } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import { InstallationNotFoundError, OutcomeUnknownError, RetryLaterError } from "./errors.ts";
import {
  currentDeliveryId,
  heldSlot,
  holdSlot,
  type LookupResult,
  sendOnce,
  type WriteAhead,
  waitWithinAttempt,
} from "./send-once.ts";
import {
  CHANNEL_BURST_POSTS,
  DEFAULT_RETRY_AFTER_SECONDS,
  METHOD_LIMITS,
  type PacedMethod,
  POST_INTERVAL_MS,
  WORKSPACE_POSTS_PER_MINUTE,
} from "./slack-limits.ts";

export type SlackTokenSource = (workspaceId: string) => Promise<string>;

export type SlackDeliveryOptions = {
  db: Db;
  now: () => Date;
  botToken: SlackTokenSource;
  apiUrl?: string | undefined;
  /** Minimum gap between two posts in one channel (default POST_INTERVAL_MS). */
  channelIntervalMs?: number;
  /** chat.postMessage budget of a workspace per minute (default WORKSPACE_POSTS_PER_MINUTE; 0: none). */
  workspacePostsPerMinute?: number;
};

/** The pacing row of a workspace's chat.postMessage budget (Slack channel ids never start with `*`). */
const WORKSPACE_POSTS = "*chat.postMessage";
/** The key of a channel's turn held across attempts (next to its slot, held under the channel id). */
const TURN = "turn:";

const PERMANENT: Record<string, string> = {
  channel_not_found:
    "the channel does not exist or Cobro cannot see it: invite @cobro or pick another channel in /cobro setup",
  not_in_channel: "Cobro is not in that private channel: invite @cobro to it",
  is_archived: "the channel is archived: pick another one in /cobro setup",
  invalid_auth: "Cobro's Slack token is not valid any more: reinstall the app",
  account_inactive: "Cobro was uninstalled from this workspace",
  token_revoked: "Cobro's Slack token was revoked: reinstall the app",
  msg_too_long: "the message is too long for Slack",
  invalid_blocks: "Slack refused the message layout",
  message_not_found: "the message to update was deleted",
  cant_update_message: "the message can no longer be updated",
};

/** The Slack error behind a stored failure reason Cobro wrote for it (`Slack: …`), for saying it in another language. */
export function slackFailureCode(reason: string): string | null {
  const found = Object.entries(PERMANENT).find(([, why]) => reason === `Slack: ${why}.`);
  return found ? found[0] : null;
}

/** A token source for one bot token (single workspace and Socket Mode). */
export const fixedBotToken =
  (token: string): SlackTokenSource =>
  async () =>
    token;

/** A token source reading each workspace's OAuth installation. */
export function installedBotToken(
  db: Db,
  fetchInstallation: (query: {
    teamId: string;
    enterpriseId: undefined;
    isEnterpriseInstall: false;
  }) => Promise<{
    bot?: { token?: string };
  }>,
): SlackTokenSource {
  return async (workspaceId) => {
    const [workspace] = await db
      .select({ teamId: workspaces.slackTeamId })
      .from(workspaces)
      .where(eq(workspaces.id, workspaceId));
    if (!workspace?.teamId) {
      throw new DomainError("slack.not_installed", `workspace ${workspaceId} has no Slack team`, {
        userMessage: "This workspace is not connected to Slack.",
      });
    }
    const installation = await fetchInstallation({
      teamId: workspace.teamId,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    }).catch((error: unknown) => {
      // Not installed is a permanent refusal below; anything else (database down) is retried.
      if (error instanceof InstallationNotFoundError) return undefined;
      throw error;
    });
    const token = installation?.bot?.token;
    if (!token) {
      throw new DomainError("slack.not_installed", `no installation for ${workspace.teamId}`, {
        userMessage: "Cobro is not installed in this Slack workspace any more.",
      });
    }
    return token;
  };
}

export type SlackSender = {
  /** The Slack user id of an e-mail address, or null when Slack knows nobody with it. */
  lookupUserByEmail: (workspaceId: string, email: string) => Promise<string | null>;
  postMessage: (workspaceId: string, args: ChatPostMessageArguments) => Promise<{ ts: string }>;
  updateMessage: (
    workspaceId: string,
    args: { channel: string; ts: string; text: string; blocks?: unknown[] },
  ) => Promise<void>;
};

/** Translates Web API failures: 429 → RetryLaterError, permanent ones → DomainError, others rethrown. */
export function translateSlackError(error: unknown): never {
  const coded = error as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (coded.code === ErrorCode.RateLimitedError) {
    const seconds = coded.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS;
    throw new RetryLaterError(seconds, `Slack rate limit: retry after ${seconds}s`);
  }
  if (coded.code === ErrorCode.PlatformError) {
    const slackError = coded.data?.error ?? "unknown_error";
    const why = PERMANENT[slackError];
    if (why)
      throw new DomainError(`slack.${slackError}`, `Slack said ${slackError}`, {
        userMessage: `Slack: ${why}.`,
      });
  }
  throw error;
}

/**
 * Reserves the next slot of a channel (or of a workspace-wide budget, `channelId` = a `*` key) in the
 * database, shared by all instances, and answers when it is. A cell-rate limit: slots are an
 * interval apart, handed out in the order callers ask, so callers waiting go in turn, each at its own
 * time, instead of all retrying at once; `burstMs` lets that much of the schedule be spent at once
 * (a minute's budget with burstMs = 60 s - interval).
 */
export async function reserveChannelSlot(
  db: Db,
  input: { workspaceId: string; channelId: string; now: Date; intervalMs: number; burstMs?: number },
): Promise<Date> {
  const now = input.now.toISOString();
  const [row] = await db
    .insert(slackChannelPacing)
    .values({
      workspaceId: input.workspaceId,
      channelId: input.channelId,
      nextAllowedAt: new Date(input.now.getTime() + input.intervalMs),
    })
    .onConflictDoUpdate({
      target: [slackChannelPacing.workspaceId, slackChannelPacing.channelId],
      set: {
        nextAllowedAt: sql`greatest(${slackChannelPacing.nextAllowedAt}, ${now}::timestamptz) + make_interval(secs => ${input.intervalMs / 1000})`,
      },
    })
    .returning({ next: slackChannelPacing.nextAllowedAt });
  const slot = (row?.next ?? input.now).getTime() - input.intervalMs - (input.burstMs ?? 0);
  return new Date(Math.max(input.now.getTime(), slot));
}

/**
 * A post's slots in one statement: its channel's (as reserveChannelSlot) and, when that one is due
 * within `toleranceMs`, the workspace budget's too (`workspace` null otherwise: reserved after the
 * channel's wait, so a post waiting for its channel never holds a slot of the workspace's budget).
 */
export async function reservePostSlots(
  db: Db,
  input: {
    workspaceId: string;
    channelId: string;
    now: Date;
    channel: { intervalMs: number; burstMs: number };
    workspace: { key: string; intervalMs: number; burstMs: number } | null;
    toleranceMs: number;
  },
): Promise<{ channel: number; workspace: number | null }> {
  const { workspaceId, channelId, channel, workspace } = input;
  const now = input.now.toISOString();
  const upsert = (key: string, intervalMs: number) => sql`
    on conflict (workspace_id, channel_id) do update
      set next_allowed_at = greatest(${slackChannelPacing.nextAllowedAt}, ${now}::timestamptz) + make_interval(secs => ${intervalMs / 1000})
    returning next_allowed_at, ${key}::text as key`;
  const due = sql`${now}::timestamptz + make_interval(secs => ${(channel.intervalMs + channel.burstMs + input.toleranceMs) / 1000})`;
  const rows = await queryRows<{ next_allowed_at: string | Date; key: string }>(
    db,
    workspace
      ? sql`with ch as (
          insert into ${slackChannelPacing} (workspace_id, channel_id, next_allowed_at)
          values (${workspaceId}, ${channelId}, ${now}::timestamptz + make_interval(secs => ${channel.intervalMs / 1000}))
          ${upsert("channel", channel.intervalMs)}
        ), wk as (
          insert into ${slackChannelPacing} (workspace_id, channel_id, next_allowed_at)
          select ${workspaceId}, ${workspace.key}, ${now}::timestamptz + make_interval(secs => ${workspace.intervalMs / 1000})
            from ch where ch.next_allowed_at <= ${due}
          ${upsert("workspace", workspace.intervalMs)}
        )
        select * from ch union all select * from wk`
      : sql`insert into ${slackChannelPacing} (workspace_id, channel_id, next_allowed_at)
          values (${workspaceId}, ${channelId}, ${now}::timestamptz + make_interval(secs => ${channel.intervalMs / 1000}))
          ${upsert("channel", channel.intervalMs)}`,
  );
  const slotOf = (key: string, intervalMs: number, burstMs: number) => {
    const row = rows.find((r) => r.key === key);
    if (!row) return null;
    return Math.max(input.now.getTime(), new Date(row.next_allowed_at).getTime() - intervalMs - burstMs);
  };
  return {
    channel: slotOf("channel", channel.intervalMs, channel.burstMs) ?? input.now.getTime(),
    workspace: workspace ? slotOf("workspace", workspace.intervalMs, workspace.burstMs) : null,
  };
}

/**
 * Takes the channel's turn right before a post: now, unless posts served late (slots waited for too
 * long) would then exceed the channel's rate and burst. The same cell-rate rule as the slots, kept
 * in `last_post_at` (the theoretical time the channel's burst is whole again): one statement, so
 * posts taking turns at once get distinct ones. Given `writeAhead`, the same statement writes the
 * post down (delivery_sends) when the turn is now; `written` says whether it did.
 */
export async function takeChannelTurn(
  db: Db,
  input: {
    workspaceId: string;
    channelId: string;
    now: Date;
    intervalMs: number;
    burstMs: number;
    writeAhead?: WriteAhead | undefined;
  },
): Promise<{ turn: Date; written: boolean }> {
  const now = input.now.toISOString();
  const interval = sql`make_interval(secs => ${input.intervalMs / 1000})`;
  const ahead = input.writeAhead;
  const [row] = await queryRows<{ at: string | Date | null; written: number }>(
    db,
    sql`with turn as (
        update ${slackChannelPacing}
           set last_post_at = greatest(${slackChannelPacing.lastPostAt}, ${now}::timestamptz) + ${interval}
         where ${slackChannelPacing.workspaceId} = ${input.workspaceId} and ${slackChannelPacing.channelId} = ${input.channelId}
        returning last_post_at
      )${
        ahead
          ? sql`, written as (
        insert into ${deliverySends} (workspace_id, delivery_id, send_key)
        select ${ahead.workspaceId}, ${ahead.deliveryId}, ${ahead.sendKey}
         where coalesce((select last_post_at from turn), ${now}::timestamptz + ${interval})
               <= ${now}::timestamptz + make_interval(secs => ${(input.intervalMs + input.burstMs) / 1000})
        on conflict do nothing
        returning 1
      )
      select (select last_post_at from turn) as at, (select count(*) from written)::int as written`
          : sql`
      select (select last_post_at from turn) as at, 0 as written`
      }`,
  );
  const at = row?.at ? new Date(row.at).getTime() : input.now.getTime() + input.intervalMs;
  const turn = at - input.intervalMs - input.burstMs;
  return { turn: new Date(Math.max(input.now.getTime(), turn)), written: Number(row?.written ?? 0) > 0 };
}

// A slot due within this is taken now rather than waited for.
const SLOT_TOLERANCE_MS = 50;
// A wait up to this long happens within the attempt (its worker place lent to other jobs meanwhile):
// a round trip through the queue costs more than the wait. Longer waits go back to the queue.
const MAX_WAIT_WITHIN_ATTEMPT_MS = 10_000;

/** Every post of a delivery carries its id in the message metadata, to be found after a crash. */
export const POST_EVENT_TYPE = "cobro_delivery";

const HISTORY_PAGES = 5;

/**
 * The post an earlier attempt made, read back from the channel (or thread) since it started. Slack
 * limits conversations.history, but this runs only for a post cut short by a crash.
 */
async function findPost(
  client: WebClient,
  args: ChatPostMessageArguments,
  tag: { delivery_id: string; send_key: string },
  startedAt: Date,
): Promise<LookupResult<{ ts: string }>> {
  const oldest = (startedAt.getTime() / 1000 - 60).toFixed(6);
  let cursor: string | undefined;
  for (let page = 0; page < HISTORY_PAGES; page++) {
    const common = { channel: args.channel, oldest, include_all_metadata: true, limit: 200, cursor };
    const answer = await (args.thread_ts
      ? client.conversations.replies({ ...common, ts: args.thread_ts })
      : client.conversations.history(common)
    ).catch((error: unknown) => {
      const slackError = (error as { data?: { error?: string } }).data?.error;
      if (slackError) {
        throw new OutcomeUnknownError(
          `Slack did not let Cobro read the channel to check (${slackError}): add the channels:history and groups:history scopes to find such posts by themselves`,
        );
      }
      return translateSlackError(error);
    });
    const mine = answer.messages?.find((message) => {
      const payload = (message as { metadata?: { event_type?: string; event_payload?: unknown } }).metadata;
      const posted = payload?.event_payload as { delivery_id?: string; send_key?: string } | undefined;
      return (
        payload?.event_type === POST_EVENT_TYPE &&
        posted?.delivery_id === tag.delivery_id &&
        posted.send_key === tag.send_key
      );
    });
    if (mine?.ts) return { found: true, result: { ts: mine.ts } };
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) return { found: false };
  }
  throw new OutcomeUnknownError("the channel had too many messages since to check them all");
}

export function createSlackSender(options: SlackDeliveryOptions): SlackSender {
  const clients = new Map<string, WebClient>();
  const clientFor = async (workspaceId: string) => {
    const token = await options.botToken(workspaceId);
    let client = clients.get(token);
    if (!client) {
      client = new WebClient(token, {
        ...(options.apiUrl
          ? { slackApiUrl: options.apiUrl.endsWith("/") ? options.apiUrl : `${options.apiUrl}/` }
          : {}),
        rejectRateLimitedCalls: true,
        // No blind retries: a post whose answer was lost may have arrived (sendOnce looks it up).
        retryConfig: { retries: 0 },
      });
      clients.set(token, client);
    }
    return client;
  };
  // Waits until `at`: here when it is soon and a worker lends its place meanwhile, else one more
  // turn of the queue, the slot kept for the retry, which then goes without queueing again.
  const waitUntil = async (key: string, at: number, why: string, toleranceMs: number) => {
    const waitMs = at - options.now().getTime();
    if (waitMs <= toleranceMs) return;
    if (waitMs <= MAX_WAIT_WITHIN_ATTEMPT_MS && (await waitWithinAttempt(waitMs))) return;
    holdSlot(key, at);
    throw new RetryLaterError(waitMs / 1000, `${why}: next call in ${Math.round(waitMs)} ms`);
  };
  // The slot reserved (or held from the previous attempt) for `key`, waited for.
  const slotOf = async (workspaceId: string, key: string, intervalMs: number, burstMs: number) => {
    const now = options.now();
    const slot =
      heldSlot(key) ??
      (
        await reserveChannelSlot(options.db, { workspaceId, channelId: key, now, intervalMs, burstMs })
      ).getTime();
    holdSlot(key, slot);
    await waitUntil(key, slot, `${key} paced`, SLOT_TOLERANCE_MS);
  };
  const workspaceBudget = options.workspacePostsPerMinute ?? WORKSPACE_POSTS_PER_MINUTE;
  const channelIntervalMs = options.channelIntervalMs ?? POST_INTERVAL_MS;
  const channelBurstMs = channelIntervalMs * (CHANNEL_BURST_POSTS - 1);
  const perPostMs = workspaceBudget > 0 ? 60_000 / workspaceBudget : 0;
  const workspacePacing =
    workspaceBudget > 0 ? { key: WORKSPACE_POSTS, intervalMs: perPostMs, burstMs: 60_000 - perPostMs } : null;
  /** Waits for the channel's slot, then for the workspace's budget (both reserved in one statement when the channel's is now). */
  const pace = async (workspaceId: string, channelId: string) => {
    let channelSlot = heldSlot(channelId);
    let workspaceSlot = heldSlot(WORKSPACE_POSTS);
    if (channelSlot === undefined) {
      const reserved = await reservePostSlots(options.db, {
        workspaceId,
        channelId,
        now: options.now(),
        channel: { intervalMs: channelIntervalMs, burstMs: channelBurstMs },
        workspace: workspaceSlot === undefined ? workspacePacing : null,
        toleranceMs: SLOT_TOLERANCE_MS,
      });
      channelSlot = reserved.channel;
      workspaceSlot ??= reserved.workspace ?? undefined;
    }
    holdSlot(channelId, channelSlot);
    if (workspaceSlot !== undefined) holdSlot(WORKSPACE_POSTS, workspaceSlot);
    await waitUntil(channelId, channelSlot, `${channelId} paced`, SLOT_TOLERANCE_MS);
    if (!workspacePacing) return;
    if (workspaceSlot === undefined) {
      await slotOf(workspaceId, WORKSPACE_POSTS, workspacePacing.intervalMs, workspacePacing.burstMs);
    } else await waitUntil(WORKSPACE_POSTS, workspaceSlot, `${WORKSPACE_POSTS} paced`, SLOT_TOLERANCE_MS);
  };
  // Right before the call: the last post of the channel is an interval ago, even when an earlier
  // slot was served late. A turn taken but not yet due is kept for the retry when it cannot be
  // waited for here (it is the channel's; taking another would skip one). Answers whether the
  // statement taking the turn also wrote the post down (`writeAhead`).
  const takeTurn = async (workspaceId: string, channelId: string, writeAhead?: WriteAhead) => {
    const turnKey = `${TURN}${channelId}`;
    let turn = heldSlot(turnKey);
    let written = false;
    if (turn === undefined) {
      const taken = await takeChannelTurn(options.db, {
        workspaceId,
        channelId,
        now: options.now(),
        intervalMs: channelIntervalMs,
        burstMs: channelBurstMs,
        writeAhead,
      });
      turn = taken.turn.getTime();
      written = taken.written;
    }
    holdSlot(turnKey, turn);
    await waitUntil(turnKey, turn, `channel ${channelId} paced`, 0);
    holdSlot(turnKey, undefined);
    holdSlot(channelId, undefined);
    holdSlot(WORKSPACE_POSTS, undefined);
    return written;
  };
  const post = async (client: WebClient, args: ChatPostMessageArguments) => {
    try {
      const result = await client.chat.postMessage(args);
      if (!result.ts) throw new Error("chat.postMessage returned no ts");
      return { ts: result.ts };
    } catch (error) {
      try {
        return translateSlackError(error);
      } catch (translated) {
        // Rate limited: this post keeps its turn and goes when Slack said, not at the back of the
        // line; only its channel waits (a burst of 429s in one channel holds back no other).
        if (translated instanceof RetryLaterError) {
          holdSlot(args.channel, options.now().getTime() + translated.delayMs);
        }
        throw translated;
      }
    }
  };
  // Another method on its own tier: its budget per workspace, and a 429 (Retry-After) holds that
  // method in that workspace only, never chat.postMessage or another workspace.
  const pausedUntil = new Map<string, number>();
  const call = async <T>(workspaceId: string, method: PacedMethod, run: () => Promise<T>): Promise<T> => {
    const key = `*${method}`;
    const paused = (pausedUntil.get(`${workspaceId}:${method}`) ?? 0) - options.now().getTime();
    if (paused > 0) throw new RetryLaterError(paused / 1000, `Slack asked to wait before ${method} (429)`);
    const { perMinute } = METHOD_LIMITS[method];
    await slotOf(workspaceId, key, 60_000 / perMinute, 60_000 - 60_000 / perMinute);
    holdSlot(key, undefined);
    try {
      return await run();
    } catch (error) {
      try {
        return translateSlackError(error);
      } catch (translated) {
        if (translated instanceof RetryLaterError) {
          pausedUntil.set(`${workspaceId}:${method}`, options.now().getTime() + translated.delayMs);
        }
        throw translated;
      }
    }
  };
  return {
    async lookupUserByEmail(workspaceId, email) {
      const client = await clientFor(workspaceId);
      return call(workspaceId, "users.lookupByEmail", async () => {
        try {
          const result = await client.users.lookupByEmail({ email });
          return result.user?.id ?? null;
        } catch (error) {
          if ((error as { data?: { error?: string } }).data?.error === "users_not_found") return null;
          throw error;
        }
      });
    },
    async postMessage(workspaceId, args) {
      const client = await clientFor(workspaceId);
      const deliveryId = currentDeliveryId();
      if (!deliveryId) {
        await pace(workspaceId, args.channel);
        await takeTurn(workspaceId, args.channel);
        return post(client, args);
      }
      const tag = (sendKey: string) => ({ delivery_id: deliveryId, send_key: sendKey });
      return sendOnce({
        key: `slack:${args.channel}:${args.thread_ts ?? ""}`,
        ready: async (writeAhead) => {
          await pace(workspaceId, args.channel);
          return takeTurn(workspaceId, args.channel, writeAhead);
        },
        send: (sendKey) =>
          post(client, {
            ...args,
            metadata: { event_type: POST_EVENT_TYPE, event_payload: tag(sendKey) },
          } as ChatPostMessageArguments),
        lookup: (startedAt, sendKey) => findPost(client, args, tag(sendKey), startedAt),
      });
    },
    async updateMessage(workspaceId, args) {
      const client = await clientFor(workspaceId);
      await call(workspaceId, "chat.update", async () => {
        await client.chat.update(args as Parameters<WebClient["chat"]["update"]>[0]);
      });
    },
  };
}
