// Dunning policies, per-invoice collection state, reminders and late-interest reference rates.
import { sql } from "drizzle-orm";
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, minor, timestamptz, updatedAt, workspaceId } from "./columns.ts";
import { invoices } from "./invoices.ts";
import { clients, members, projects } from "./parties.ts";

export type DunningLevelSpec = {
  level: number;
  offsetDays: number;
  relativeTo: "due" | "previous";
  channel: "email" | "slack_task";
  tone: "courteous" | "firm" | "formal";
  template: string;
};

export const dunningPolicies = pgTable(
  "dunning_policies",
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    // Scope: exactly one of profile / client / project, most specific wins.
    profile: text("profile", { enum: ["public", "business", "individual"] }),
    clientId: uuid("client_id").references(() => clients.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "cascade" }),
    levels: jsonb("levels").$type<DunningLevelSpec[]>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index().on(t.workspaceId)],
);

export const invoiceCollections = pgTable("invoice_collections", {
  invoiceId: uuid("invoice_id")
    .primaryKey()
    .references(() => invoices.id, { onDelete: "cascade" }),
  workspaceId: workspaceId(),
  overdueAt: timestamptz("overdue_at"),
  collectorMemberId: uuid("collector_member_id").references(() => members.id, { onDelete: "set null" }),
  level: integer("level").notNull().default(0),
  lastReminderOn: date("last_reminder_on"),
  pausedUntil: date("paused_until"),
  pauseReason: text("pause_reason"),
  promisedOn: date("promised_on"),
  disputedAt: timestamptz("disputed_at"),
  disputeReason: text("dispute_reason"),
  formalApprovedAt: timestamptz("formal_approved_at"),
  formalApprovedByMemberId: uuid("formal_approved_by_member_id").references(() => members.id, {
    onDelete: "set null",
  }),
  updatedAt: updatedAt(),
});

export const reminders = pgTable(
  "reminders",
  {
    id: id(),
    workspaceId: workspaceId(),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    level: integer("level").notNull(),
    tone: text("tone").notNull(),
    channel: text("channel").notNull(),
    dueOn: date("due_on").notNull(),
    status: text("status", { enum: ["scheduled", "awaiting_approval", "sent", "skipped"] }).notNull(),
    openMinorAtSend: minor("open_minor_at_send"),
    sentAt: timestamptz("sent_at"),
    // Set when the PM's heads-up DM of the day before (one per PM and day, listing all) claimed it.
    headsUpClaimed: boolean("heads_up_claimed").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    unique().on(t.invoiceId, t.level),
    index("reminders_heads_up_idx").on(t.workspaceId, t.dueOn).where(sql`not ${t.headsUpClaimed}`),
  ],
);

/**
 * Who hears of which invoice in a day's overdue digests, written page by page as the scan moves
 * invoices overdue; the scan's last step claims one digest per recipient from these lines and
 * deletes them, so a scan of any size holds one page in memory and a scan that died resumes.
 */
export const overdueDigestLines = pgTable(
  "overdue_digest_lines",
  {
    workspaceId: workspaceId(),
    runDate: date("run_date").notNull(),
    /** `member:<id>` or `channel:<id>`: one digest each. */
    recipientKey: text("recipient_key").notNull(),
    memberId: uuid("member_id").references(() => members.id, { onDelete: "cascade" }),
    /** The channel, or the member's Slack user id (null for an imported member found by e-mail). */
    slackId: text("slack_id"),
    role: text("role", { enum: ["collector", "pm", "collections", "project"] }).notNull(),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.runDate, t.recipientKey, t.invoiceId, t.role] })],
);

/** Reference rates for statutory late interest, per jurisdiction and half-year (basis points). */
export const lateInterestRates = pgTable(
  "late_interest_rates",
  {
    id: id(),
    jurisdiction: text("jurisdiction").notNull(),
    halfYearStart: date("half_year_start").notNull(),
    referenceRateBp: integer("reference_rate_bp").notNull(),
    totalRateBp: integer("total_rate_bp").notNull(),
    source: text("source").notNull(),
    // false while the figure is not read from its official publication (a BOE total derived from the
    // ECB rate, a half-year carried forward): used, but shown as unconfirmed until imported or fetched.
    confirmed: boolean("confirmed").notNull().default(true),
    /** FR: taux de l'intérêt légal "autres cas" of the half-year (the contractual floor is three times it). */
    legalRateBp: integer("legal_rate_bp"),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.jurisdiction, t.halfYearStart)],
);
