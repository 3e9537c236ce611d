// The Slack Web API limits Cobro's deliveries keep to, in one place. Slack counts "per API method
// per workspace per app"; a 429 carries Retry-After (seconds) for that method in that workspace.
// Sources: https://docs.slack.dev/apis/web-api/rate-limits (tiers: Tier 3 "50+ per minute",
// Tier 4 "100+ per minute"), each method's reference page (its tier), and for chat.postMessage
// https://docs.slack.dev/reference/methods/chat.postMessage: "generally allow an app to post 1
// message per second to a specific channel. There are limits governing your app's relationship with
// the entire workspace above that, limiting posting to several hundred messages per minute.
// Generous burst behavior is also granted." Summarised in shared/reference/slack-platform.md §4.

/** Gap between two posts in one channel: one a second, plus a margin for clock skew between instances. */
export const POST_INTERVAL_MS = 1050;

/**
 * Posts a channel may take at once before the one-a-second pace binds ("short bursts > 1 allowed",
 * "generous burst behavior"; Slack gives no number, so Cobro takes the smallest burst, 2). Kept as a
 * cell-rate limit: after two posts at once, the next goes an interval after the first. Besides
 * saving a second per busy channel, the burst absorbs a post that reaches Slack a little late
 * (a busy host) without the next one drawing a 429.
 */
export const CHANNEL_BURST_POSTS = 2;

/**
 * chat.postMessage across a whole workspace: "several hundred messages per minute", with bursts.
 * Kept as a budget of this many posts in any minute, spent as evenly as it refills (a cell-rate
 * limit: after a burst of a minute's budget, one post every 60 s / budget).
 */
export const WORKSPACE_POSTS_PER_MINUTE = 600;

/** A tier method: `perMinute` calls in any minute per workspace, bursts within that budget. */
export type TierLimit = { tier: 3 | 4; perMinute: number };

/** The other methods deliveries call, on their own tiers (never sharing chat.postMessage's budget). */
export const METHOD_LIMITS = {
  "chat.update": { tier: 3, perMinute: 50 },
  "conversations.open": { tier: 3, perMinute: 50 },
  "users.lookupByEmail": { tier: 3, perMinute: 50 },
  // files.uploadV2 is two calls of the Web API client, both Tier 4.
  "files.getUploadURLExternal": { tier: 4, perMinute: 100 },
  "files.completeUploadExternal": { tier: 4, perMinute: 100 },
} as const satisfies Record<string, TierLimit>;

export type PacedMethod = keyof typeof METHOD_LIMITS;

/** A 429 without a readable Retry-After waits this long (Slack always sends one; a proxy may not). */
export const DEFAULT_RETRY_AFTER_SECONDS = 30;
