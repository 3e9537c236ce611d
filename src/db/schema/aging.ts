// Open receivables summed per client × currency and per currency × due date × issue date, so the
// /aging reply reads ~10,000 + ~7,000 summary rows instead of aging every open invoice. Kept by the
// statement triggers of migration 0013_aging_balance_triggers in the transaction that changes an
// invoice (issue, payment, credit note, import), never by application code: every writer is covered.
// Readers: src/db/repos/aging-balances.ts.
import { date, integer, numeric, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { currency, minor, workspaceId } from "./columns.ts";

/**
 * One row per client and currency with something open: how many receivables, their open total, and
 * Σ open × (date − 2000-01-01) by due date and by issue date. Those day sums make Σ open × days
 * past due, for any as-of date, one multiplication away (exact: numeric, never a float).
 */
export const agingBalances = pgTable(
  "aging_balances",
  {
    workspaceId: workspaceId(),
    clientId: uuid("client_id").notNull(),
    currency: currency().notNull(),
    openCount: integer("open_count").notNull(),
    openMinor: minor("open_minor").notNull(),
    dueDaySum: numeric("due_day_sum").notNull(),
    issueDaySum: numeric("issue_day_sum").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.clientId, t.currency] })],
);

/** Open receivables per currency, due date (the issue date when there is none) and issue date. */
export const agingDueTotals = pgTable(
  "aging_due_totals",
  {
    workspaceId: workspaceId(),
    currency: currency().notNull(),
    dueOn: date("due_on").notNull(),
    issueDate: date("issue_date").notNull(),
    openCount: integer("open_count").notNull(),
    openMinor: minor("open_minor").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.currency, t.dueOn, t.issueDate] })],
);
