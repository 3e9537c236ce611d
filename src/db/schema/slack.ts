import { index, pgTable, primaryKey, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestamptz, updatedAt, workspaceId } from "./columns.ts";

/** OAuth installations; `data` is the Bolt Installation JSON encrypted with COBRO_ENCRYPTION_KEY. */
export const slackInstallations = pgTable("slack_installations", {
  id: id(),
  // team id, or enterprise id for org-wide installs
  installKey: text("install_key").notNull().unique(),
  teamId: text("team_id"),
  enterpriseId: text("enterprise_id"),
  data: text("data").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Events API deliveries already processed, so Slack's retries do nothing twice. */
export const slackEventsSeen = pgTable(
  "slack_events_seen",
  {
    eventId: text("event_id").primaryKey(),
    seenAt: timestamptz("seen_at").notNull().defaultNow(),
  },
  // The daily prune deletes by age: without it, a scan of every event ever seen.
  (t) => [index("slack_events_seen_seen_at_idx").on(t.seenAt)],
);

/** Where a subject (invoice, timesheet, digest) was posted, so later events thread under it. */
export const slackMessages = pgTable(
  "slack_messages",
  {
    id: id(),
    workspaceId: workspaceId(),
    subjectType: text("subject_type").notNull(),
    subjectId: uuid("subject_id").notNull(),
    channelId: text("channel_id").notNull(),
    ts: text("ts").notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.workspaceId, t.subjectType, t.subjectId, t.channelId)],
);

/** Per-channel pacing of chat.postMessage (≈ 1 a second a channel), shared by every instance. */
export const slackChannelPacing = pgTable(
  "slack_channel_pacing",
  {
    workspaceId: workspaceId(),
    channelId: text("channel_id").notNull(),
    /** The end of the last reserved slot: the next post to queue goes then. */
    nextAllowedAt: timestamptz("next_allowed_at").notNull(),
    /** Same rule at the moment of posting (cell-rate: when the channel's burst is whole again). */
    lastPostAt: timestamptz("last_post_at"),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.channelId] })],
);
