// Side effects claimed before they happen: one row per (workspace, key); only the inserter acts.
import { sql } from "drizzle-orm";
import { date, index, integer, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestamptz, workspaceId } from "./columns.ts";
import { invoices } from "./invoices.ts";

export const DELIVERY_KINDS = ["email", "slack_message", "slack_dm", "slack_update"] as const;
// "unknown": a send may have reached the provider before a crash and the provider cannot tell us;
// a person answers in Slack (Send again / It arrived) instead of Cobro guessing.
export const DELIVERY_STATUSES = ["pending", "sent", "failed", "skipped", "unknown"] as const;

export const deliveries = pgTable(
  "deliveries",
  {
    id: id(),
    workspaceId: workspaceId(),
    kind: text("kind", { enum: DELIVERY_KINDS }).notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    invoiceId: uuid("invoice_id").references(() => invoices.id, { onDelete: "cascade" }),
    payload: jsonb("payload").notNull().default(sql`'{}'::jsonb`),
    result: jsonb("result"),
    attempts: integer("attempts").notNull().default(0),
    // A worker leases the row before acting, so two workers never send the same delivery at once.
    lockedUntil: timestamptz("locked_until"),
    // When its queue job is due; null while no process has queued it (claimed by the CLI, another
    // instance that died): the sweeper of `serve` queues those within seconds.
    nextRunAt: timestamptz("next_run_at"),
    lastError: text("last_error"),
    sentAt: timestamptz("sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    unique().on(t.workspaceId, t.dedupeKey),
    index().on(t.invoiceId),
    // The sweeper of every `serve` looks for unqueued and stalled pending deliveries every 3 s.
    index("deliveries_pending_idx").on(t.createdAt).where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * One provider call of a delivery (an e-mail, a post in one channel), written before the call and
 * completed with the provider's answer. A row without a result after a crash means the call may
 * have reached the provider: the next attempt asks the provider before sending again.
 */
export const deliverySends = pgTable(
  "delivery_sends",
  {
    id: id(),
    workspaceId: workspaceId(),
    deliveryId: uuid("delivery_id")
      .notNull()
      .references(() => deliveries.id, { onDelete: "cascade" }),
    sendKey: text("send_key").notNull(),
    startedAt: timestamptz("started_at").notNull().defaultNow(),
    /** The provider's answer (message id, ts), or who confirmed by hand that it arrived. */
    result: jsonb("result"),
  },
  (t) => [unique().on(t.deliveryId, t.sendKey)],
);

/** E-mail delivery events reported by the SendGrid Event Webhook (delivered, bounce, open…). */
export const emailEvents = pgTable(
  "email_events",
  {
    id: id(),
    workspaceId: workspaceId(),
    providerEventId: text("provider_event_id").notNull().unique(),
    deliveryId: uuid("delivery_id").references(() => deliveries.id, { onDelete: "cascade" }),
    invoiceId: uuid("invoice_id").references(() => invoices.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    email: text("email"),
    reason: text("reason"),
    occurredAt: timestamptz("occurred_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.invoiceId)],
);

/** Scheduled work claimed once per workspace, job and local day, whatever the number of instances. */
export const scheduledRuns = pgTable(
  "scheduled_runs",
  {
    id: id(),
    workspaceId: workspaceId(),
    job: text("job").notNull(),
    runDate: date("run_date").notNull(),
    startedAt: timestamptz("started_at").notNull().defaultNow(),
    finishedAt: timestamptz("finished_at"),
    summary: jsonb("summary"),
  },
  (t) => [unique().on(t.workspaceId, t.job, t.runDate)],
);
