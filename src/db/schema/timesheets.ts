// Time entries, timesheets (per person, project and period) and their approval history.
import { sql } from "drizzle-orm";
import { boolean, date, index, integer, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, minor, timestamptz, updatedAt, workspaceId } from "./columns.ts";
import { invoices } from "./invoices.ts";
import { members, projects } from "./parties.ts";

export const TIMESHEET_STATUSES = ["open", "submitted", "approved", "rejected"] as const;
export type TimesheetStatus = (typeof TIMESHEET_STATUSES)[number];

export const timesheets = pgTable(
  "timesheets",
  {
    id: id(),
    workspaceId: workspaceId(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    personEmail: text("person_email").notNull(),
    memberId: uuid("member_id").references(() => members.id, { onDelete: "set null" }),
    periodStart: date("period_start").notNull(),
    periodEnd: date("period_end").notNull(),
    status: text("status", { enum: TIMESHEET_STATUSES }).notNull().default("open"),
    rejectionReason: text("rejection_reason"),
    version: integer("version").notNull().default(1),
    submittedAt: timestamptz("submitted_at"),
    decidedAt: timestamptz("decided_at"),
    decidedByMemberId: uuid("decided_by_member_id").references(() => members.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique().on(t.workspaceId, t.projectId, t.personEmail, t.periodStart),
    index().on(t.workspaceId, t.status),
  ],
);

export const timesheetHistory = pgTable(
  "timesheet_history",
  {
    id: id(),
    workspaceId: workspaceId(),
    timesheetId: uuid("timesheet_id")
      .notNull()
      .references(() => timesheets.id, { onDelete: "cascade" }),
    fromStatus: text("from_status").notNull(),
    toStatus: text("to_status").notNull(),
    actor: text("actor").notNull(),
    reason: text("reason"),
    // The timesheet version this transition produced: a monotonic order that two racing
    // transitions from the same version cannot both claim (timestamps can tie).
    version: integer("version").notNull(),
    at: timestamptz("at").notNull().defaultNow(),
  },
  (t) => [unique().on(t.timesheetId, t.version)],
);

export const timeEntries = pgTable(
  "time_entries",
  {
    id: id(),
    workspaceId: workspaceId(),
    externalId: text("external_id").notNull(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    personEmail: text("person_email").notNull(),
    personName: text("person_name"),
    workDate: date("work_date").notNull(),
    minutes: integer("minutes").notNull(),
    description: text("description").notNull().default(""),
    task: text("task"),
    billable: boolean("billable").notNull().default(true),
    source: text("source").notNull().default("cobro"),
    timesheetId: uuid("timesheet_id").references(() => timesheets.id, { onDelete: "set null" }),
    invoiceId: uuid("invoice_id").references(() => invoices.id, { onDelete: "set null" }),
    raw: jsonb("raw"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique().on(t.workspaceId, t.externalId),
    index().on(t.timesheetId),
    index().on(t.workspaceId, t.projectId, t.workDate),
    index("time_entries_unbilled_idx").on(t.workspaceId, t.projectId).where(sql`${t.invoiceId} is null`),
  ],
);

/** A person's rate on a project; falls back to the project's hourly rate. */
export const projectRates = pgTable(
  "project_rates",
  {
    id: id(),
    workspaceId: workspaceId(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    personEmail: text("person_email").notNull(),
    hourlyRateMinor: minor("hourly_rate_minor").notNull(),
  },
  (t) => [unique().on(t.projectId, t.personEmail)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull().unique(),
    hash: text("hash").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamptz("last_used_at"),
    revokedAt: timestamptz("revoked_at"),
  },
  (t) => [index().on(t.workspaceId)],
);
