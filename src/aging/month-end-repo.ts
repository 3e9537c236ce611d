// The /aging summary as of a month-end, from the month-end open balances that the triggers on
// invoices and payments keep (migration 0037, src/db/schema/aging.ts): ~10,000 balance rows and
// ~7,000 date rows, plus the top debtors' own invoices, whatever the number of payments since.
// Same result as the full report (property test in test/integration/aging-month-ends.test.ts).
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.ts";
import type { AgingSummary } from "../domain/aging.ts";
import type { AgingBalancesQuery } from "./balances-repo.ts";
import { rankingCtes, SUMMARY_SELECT } from "./ranking-sql.ts";
import { daysInBucket, NOT_RECEIVABLE, readSummaryRows, type SummaryDbRow } from "./repo.ts";

/** Whether the workspace keeps the balances of that month-end. */
export async function isKeptMonthEnd(db: Db, workspaceId: string, date: string): Promise<boolean> {
  const rows = await queryRows(
    db,
    sql`select 1 from aging_month_ends where workspace_id = ${workspaceId} and month_end = ${date}::date`,
  );
  return rows.length > 0;
}

/** The summary at a kept month-end (q.asOf); call inside the report's transaction. */
export async function summarizeAgingMonthEnd(db: Db, q: AgingBalancesQuery): Promise<AgingSummary> {
  return readSummaryRows(await queryRows<SummaryDbRow>(db, monthEndStatement(q)));
}

function monthEndStatement(q: AgingBalancesQuery): SQL {
  const { workspaceId: ws, asOf } = q;
  const byIssue = q.basis === "issue";
  const currency = (column: SQL) => (q.currency ? sql` and ${column} = ${q.currency}` : sql``);
  const epochDays = sql`(${asOf}::date - date '2000-01-01')`;
  // Σ open × days past due at the month-end, from the stored sums (overdue = due before it).
  const weighted = byIssue
    ? sql`b.open_minor * ${epochDays} - b.issue_day_sum::bigint`
    : sql`b.overdue_minor * ${epochDays} - b.overdue_day_sum::bigint`;
  const ageFrom = byIssue ? sql`i.issue_date` : sql`coalesce(i.due_date, i.issue_date)`;
  const buckets = Array.from({ length: q.edges.length + 2 }, (_, k) => k);
  const bucketSums = (amount: SQL) =>
    sql.join(
      buckets.map((k) => sql`coalesce(sum(${amount}) filter (where ${daysInBucket(q.edges, k)}), 0)`),
      sql`, `,
    );
  const ctes: SQL[] = [
    sql`live as (
      select b.client_id, b.currency, b.open_count as n, b.open_minor as total, ${weighted} as weighted
      from aging_month_end_balances b
      where b.workspace_id = ${ws} and b.month_end = ${asOf}::date${currency(sql`b.currency`)}
    )`,
    ...rankingCtes(q),
    // The top debtors' invoices at the month-end: today's open amount plus what was paid or
    // credited after it (a few hundred invoices, each with its own payments by index).
    sql`debtor_items as (
      select i.client_id, i.currency, (${asOf}::date - ${ageFrom}) as days,
        (i.open_minor
          + coalesce((select sum(p.amount_minor) from payments p where p.invoice_id = i.id and p.paid_on > ${asOf}::date), 0)
          + coalesce((select sum(abs(cn.total_minor - cn.withholding_minor)) from invoices cn
              where cn.corrects_invoice_id = i.id and cn.workspace_id = ${ws} and cn.kind = 'credit_note'
                and cn.status not in ${NOT_RECEIVABLE} and cn.issue_date > ${asOf}::date), 0))::bigint as open
      from ranked r
        join invoices i on i.client_id = r.client_id and i.currency = r.currency
      where i.workspace_id = ${ws} and i.kind <> 'credit_note' and i.status not in ${NOT_RECEIVABLE}
        and i.issue_date <= ${asOf}::date
    )`,
    sql`debtor_buckets as (
      select client_id, currency, max(days) as max_days, concat_ws(',', ${bucketSums(sql`open`)}) as amounts
      from debtor_items where open <> 0 group by client_id, currency
    )`,
    sql`totals as (
      select currency, sum(n) as n, concat_ws(',', ${bucketSums(sql`open`)}) as amounts
      from (
        select t.currency, t.open_count::bigint as n, t.open_minor as open,
          ${asOf}::date - ${byIssue ? sql`t.issue_date` : sql`t.due_on`} as days
        from aging_month_end_totals t
        where t.workspace_id = ${ws} and t.month_end = ${asOf}::date${currency(sql`t.currency`)}
      ) d
      group by currency having sum(n) > 0
    )`,
  ];
  return sql`with ${sql.join(ctes, sql`, `)} ${SUMMARY_SELECT}`;
}

/** Lists a month-end and computes its balances from the invoices (blocks writers meanwhile). */
export async function takeAgingMonthEnd(db: Db, workspaceId: string, monthEnd: string): Promise<void> {
  await db.transaction(async (tx) => {
    await queryRows(
      tx as unknown as Db,
      sql`select aging_month_end_take(${workspaceId}::uuid, ${monthEnd}::date)`,
    );
  });
}

/**
 * Forgets month-ends more than 24 months back and takes the most recent missing one; the month-end
 * taken, or undefined when all 24 are kept.
 */
export async function keepAgingMonthEnds(
  db: Db,
  workspaceId: string,
  today: string,
): Promise<string | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await queryRows<{ taken: string | null }>(
      tx as unknown as Db,
      sql`select aging_month_ends_keep(${workspaceId}::uuid, ${today}::date)::text as taken`,
    );
    return row?.taken ?? undefined;
  });
}
