// The Slack Web API limits Cobro's deliveries keep to, in one place.
// Source: https://docs.slack.dev/apis/web-api/rate-limits and the chat.postMessage reference:
// chat.postMessage is "Special": about 1 message per second per channel, short bursts tolerated,
// plus a workspace-wide limit; a 429 carries Retry-After (seconds) for that method and workspace.

/** Gap between two posts in one channel: one a second, with a margin for clock skew between instances. */
export const POST_INTERVAL_MS = 1100;
