// The Web API client of delivery handlers: fails fast on 429 (the durable queue waits instead of
// stalling every call), paces posts to about one a second per channel, and says which Slack
// errors retrying cannot fix.
import { type ChatPostMessageArguments, ErrorCode, WebClient } from "@slack/web-api";
import type { Db } from "../db/client.ts";
import { DomainError } from "../domain/errors.ts";
import { SLACK_PERMANENT_FAILURES } from "../domain/slack-failures.ts";
import { OutcomeUnknownError, RetryLaterError } from "./errors.ts";
import { reserveChannelSlot, reservePostSlots, takeChannelTurn } from "./repo.ts";
import { deliveryAttempt, type LookupResult, sendOnce, type WriteAhead } from "./send-once.ts";
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

/** The slot this delivery reserved for `channel` on an earlier attempt, if any. */
function heldSlot(channel: string): number | undefined {
  return deliveryAttempt.getStore()?.slots?.[channel];
}

/** Remembers a reserved slot so that the retry at that time posts without queueing again. */
function holdSlot(channel: string, at: number | undefined): void {
  const attempt = deliveryAttempt.getStore();
  if (!attempt) return;
  attempt.slots ??= {};
  if (at === undefined) delete attempt.slots[channel];
  else attempt.slots[channel] = at;
}

/**
 * Waits `ms` within this attempt, its worker place lent to other jobs meanwhile; false (no wait)
 * when no worker runs this attempt (a CLI send), which then goes back to the queue instead.
 */
async function waitWithinAttempt(ms: number): Promise<boolean> {
  const waitOutside = deliveryAttempt.getStore()?.waitOutside;
  if (!waitOutside) return false;
  await waitOutside(ms);
  return true;
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
function translateSlackError(error: unknown): never {
  const coded = error as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (coded.code === ErrorCode.RateLimitedError) {
    const seconds = coded.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS;
    throw new RetryLaterError(seconds, `Slack rate limit: retry after ${seconds}s`);
  }
  if (coded.code === ErrorCode.PlatformError) {
    const slackError = coded.data?.error ?? "unknown_error";
    const why = SLACK_PERMANENT_FAILURES[slackError];
    if (why)
      throw new DomainError(`slack.${slackError}`, `Slack said ${slackError}`, {
        userMessage: `Slack: ${why}.`,
      });
  }
  throw error;
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
      const deliveryId = deliveryAttempt.getStore()?.deliveryId;
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
