// Open receivables summed per client × currency and per currency × due date × issue date, so the
// /aging reply reads ~10,000 + ~7,000 summary rows instead of aging every open invoice. Kept by the
// triggers on invoices (migrations 0013 and 0016) in the transaction that changes an invoice (issue,
// payment, credit note, import), never by application code: every writer is covered.
// Readers: src/aging/balances-repo.ts.
import { date, index, integer, numeric, pgTable, primaryKey, uuid } from "drizzle-orm/pg-core";
import { currency, minor, workspaceId } from "./columns.ts";

/**
 * One row per client and currency with something open: how many receivables and their open total,
 * Σ open × (issue date − 2000-01-01), and the open amount and Σ open × (due date − 2000-01-01) of
 * those due before `overdue_before`. Σ open × days past due at any as-of date is then one
 * multiplication away, corrected only for the invoices due between `overdue_before` and that date
 * (none once the day's roll-forward has moved `overdue_before` to today). Exact: numeric sums.
 */
export const agingBalances = pgTable(
  "aging_balances",
  {
    workspaceId: workspaceId(),
    clientId: uuid("client_id").notNull(),
    currency: currency().notNull(),
    openCount: integer("open_count").notNull(),
    openMinor: minor("open_minor").notNull(),
    issueDaySum: numeric("issue_day_sum").notNull(),
    // Defaults describe a consistent row (nothing is due before 2000); the triggers set real values.
    overdueBefore: date("overdue_before").notNull().default("2000-01-01"),
    overdueMinor: minor("overdue_minor").notNull().default(0),
    overdueDaySum: numeric("overdue_day_sum").notNull().default("0"),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.clientId, t.currency] }),
    // The reply's first read: how far the roll-forward dates spread (min and max, two index probes).
    index("aging_balances_rolled_idx").on(t.workspaceId, t.overdueBefore),
  ],
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

/**
 * The days whose open balances are kept: the last 24 month-ends, the 15ths since and yesterday (taken
 * by the scheduler's roll, src/aging/roll-aging-balances.ts; migrations 0045, 0046). "month_end" names the
 * first kind; any day works the same. While a day is listed here, the triggers on invoices and
 * payments (migration 0036) keep its rows below equal to the full as-of computation at that date:
 * a payment or credit note dated later added back, an invoice issued later left out, a backdated
 * write counted. So /aging as of a month-end reads ~10,000 + ~7,000 rows and no invoice history.
 */
export const agingMonthEnds = pgTable(
  "aging_month_ends",
  {
    workspaceId: workspaceId(),
    monthEnd: date("month_end").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.monthEnd] })],
);

/** aging_balances as of a month-end: overdue means due before month_end (days past due ≥ 1). */
export const agingMonthEndBalances = pgTable(
  "aging_month_end_balances",
  {
    workspaceId: workspaceId(),
    monthEnd: date("month_end").notNull(),
    clientId: uuid("client_id").notNull(),
    currency: currency().notNull(),
    openCount: integer("open_count").notNull(),
    openMinor: minor("open_minor").notNull(),
    issueDaySum: numeric("issue_day_sum").notNull(),
    overdueMinor: minor("overdue_minor").notNull(),
    overdueDaySum: numeric("overdue_day_sum").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.monthEnd, t.clientId, t.currency] })],
);

/** aging_due_totals as of a month-end. */
export const agingMonthEndTotals = pgTable(
  "aging_month_end_totals",
  {
    workspaceId: workspaceId(),
    monthEnd: date("month_end").notNull(),
    currency: currency().notNull(),
    dueOn: date("due_on").notNull(),
    issueDate: date("issue_date").notNull(),
    openCount: integer("open_count").notNull(),
    openMinor: minor("open_minor").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.monthEnd, t.currency, t.dueOn, t.issueDate] })],
);

/**
 * Credit sales per currency and issue date (net of credit notes) and interest billed, kept by a
 * trigger on invoices (migration 0039): the DSO / ADD / CEI figures read six months of these
 * (~550 rows) instead of ~240,000 invoices.
 */
export const agingDailySales = pgTable(
  "aging_daily_sales",
  {
    workspaceId: workspaceId(),
    currency: currency().notNull(),
    issueDate: date("issue_date").notNull(),
    salesMinor: minor("sales_minor").notNull(),
    interestMinor: minor("interest_minor").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.currency, t.issueDate] })],
);

/**
 * aging_month_end_totals' open amounts per client for the due dates near a month-end (16 days
 * before it to 31 days after, migration 0044): /aging as of a date between two month-ends starts
 * from the nearest one, and the invoices falling due in between move from "not yet due" to
 * "overdue" (or back); these rows give what they weigh without reading them.
 */
export const agingMonthEndDues = pgTable(
  "aging_month_end_dues",
  {
    workspaceId: workspaceId(),
    monthEnd: date("month_end").notNull(),
    dueOn: date("due_on").notNull(),
    clientId: uuid("client_id").notNull(),
    currency: currency().notNull(),
    openMinor: minor("open_minor").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.monthEnd, t.dueOn, t.clientId, t.currency] })],
);

/**
 * Each day a receivable's open amount at the end of the day changed (its issue date, the days it
 * was paid or credited), with that amount before and after the day, as the full as-of computation
 * defines it (kept by triggers on invoices and payments, migration 0044). Summed over a date range,
 * before and after telescope per invoice: /aging between two dates reads the range's rows only
 * (half a month from the nearest month-end at most), never the invoices they move.
 */
export const agingMovements = pgTable(
  "aging_movements",
  {
    workspaceId: workspaceId(),
    invoiceId: uuid("invoice_id").notNull(),
    onDate: date("on_date").notNull(),
    clientId: uuid("client_id").notNull(),
    currency: currency().notNull(),
    dueOn: date("due_on").notNull(),
    issueDate: date("issue_date").notNull(),
    openBefore: minor("open_before").notNull(),
    openAfter: minor("open_after").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.invoiceId, t.onDate] }),
    // Every column the as-of reply reads: an index-only scan of the range (the rows of a day are
    // scattered over the table, each invoice's rewritten when it is paid).
    index("aging_movements_day_idx").on(
      t.workspaceId,
      t.onDate,
      t.clientId,
      t.currency,
      t.dueOn,
      t.issueDate,
      t.openBefore,
      t.openAfter,
    ),
  ],
);

/**
 * Cash collected per currency and payment date, kept by a trigger on payments (migration 0044):
 * CEI reads a month of these (≤ 31 rows) instead of a month of payments.
 */
export const agingDailyCollections = pgTable(
  "aging_daily_collections",
  {
    workspaceId: workspaceId(),
    currency: currency().notNull(),
    paidOn: date("paid_on").notNull(),
    amountMinor: minor("amount_minor").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.currency, t.paidOn] })],
);
