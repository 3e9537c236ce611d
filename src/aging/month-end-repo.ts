// The /aging summary as of a past date, from the open balances of the kept days (month-ends, 15ths
// and yesterday; migrations 0037, 0044-0046, src/db/schema/aging.ts) that the triggers on invoices
// and payments keep: ~10,000 balance rows and ~7,000 date rows of the nearest kept day, the movements
// between it and the date (at most 8 days' worth), plus the top debtors' own invoices, whatever the
// number of payments since. Same result as the full report (property test in
// test/integration/aging-month-ends.test.ts). The names say "month-end", the first kind of kept day.
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.ts";
import type { AgingSummary } from "../domain/aging.ts";
import type { AgingBalancesQuery } from "./balances-repo.ts";
import { bucketSql } from "./buckets-repo.ts";
import { NOT_RECEIVABLE, readSummaryRows, type SummaryDbRow } from "./repo.ts";

/** Whether the workspace keeps the balances of that day (a month-end, a 15th or yesterday). */
export async function isKeptMonthEnd(db: Db, workspaceId: string, date: string): Promise<boolean> {
  return (await nearestKeptMonthEnd(db, workspaceId, date)) === date;
}

/**
 * The kept day /aging as of `date` starts from: the nearest one whose dues cover the days in
 * between (aging_month_end_dues: 16 days before a kept day to 31 after), so at most 8 days of
 * movements once the scheduler has taken them all (a month-end or 15th each side, or yesterday);
 * undefined when none is near (a date before the kept days, or none taken yet).
 */
export async function nearestKeptMonthEnd(
  db: Db,
  workspaceId: string,
  date: string,
): Promise<string | undefined> {
  const [row] = await queryRows<{ month_end: string }>(
    db,
    sql`select month_end::text as month_end from aging_month_ends
      where workspace_id = ${workspaceId} and month_end between ${date}::date - 31 and ${date}::date + 16
      order by abs(month_end - ${date}::date), month_end limit 1`,
  );
  return row?.month_end;
}

/** The summary at q.asOf from a kept month-end near it (see nearestKeptMonthEnd); inside the report's transaction. */
export async function summarizeAgingMonthEnd(
  db: Db,
  q: AgingBalancesQuery,
  monthEnd: string,
): Promise<AgingSummary> {
  return readSummaryRows(await queryRows<SummaryDbRow>(db, monthEndStatement(q, monthEnd)));
}

/**
 * Per balance at the month-end M, the stored sums give n, the open total and Σ open × days past due
 * at asOf for what was open at M, counting overdue as "due before M" (linear in asOf). From M to
 * asOf (either way):
 * - the movements dated between them (aging_movements: issue, payment and credit days) change each
 *   invoice's open amount from its "before" to its "after"; summed over the range they telescope to
 *   open at asOf − open at M per invoice (issued in between: from or to 0), with its due and issue
 *   dates for the buckets and the weight;
 * - by due date, the invoices due between M and asOf are overdue at one and not at the other: their
 *   open amounts at M per client and due date (aging_month_end_dues) correct the weight.
 * By issue date every movement between M and asOf is of an invoice issued on or before asOf (when
 * asOf is after M) or is weighed by the same linear sum the stored one used (before M), so the
 * weight stays linear there.
 */
function monthEndStatement(q: AgingBalancesQuery, monthEnd: string): SQL {
  const { workspaceId: ws, asOf } = q;
  const byIssue = q.basis === "issue";
  const moving = monthEnd !== asOf;
  const sign = sql.raw(asOf > monthEnd ? "1" : "-1");
  const [lo, hi] = asOf > monthEnd ? [monthEnd, asOf] : [asOf, monthEnd];
  const currency = (column: SQL) => (q.currency ? sql` and ${column} = ${q.currency}` : sql``);
  const epochDays = sql`(${asOf}::date - date '2000-01-01')`;
  // Σ open × days past due at asOf of what was open at M, from the stored sums (overdue = due before M).
  const weighted = byIssue
    ? sql`b.open_minor * ${epochDays} - b.issue_day_sum::bigint`
    : sql`b.overdue_minor * ${epochDays} - b.overdue_day_sum::bigint`;
  const ageFrom = byIssue ? sql`i.issue_date` : sql`coalesce(i.due_date, i.issue_date)`;
  const parts: SQL[] = [
    sql`select b.client_id, b.currency, b.open_count as n, b.open_minor as total, ${weighted} as weighted
      from aging_month_end_balances b
      where b.workspace_id = ${ws} and b.month_end = ${monthEnd}::date${currency(sql`b.currency`)}`,
  ];
  const ctes: SQL[] = [];
  if (moving) {
    const moveWeight = byIssue
      ? sql`m.open * (${asOf}::date - m.age_on)`
      : sql`m.open * greatest(${asOf}::date - m.age_on, 0)`;
    ctes.push(sql`moves as (
      select m.client_id, m.currency, ${byIssue ? sql`m.issue_date` : sql`m.due_on`} as age_on,
        ${sign} * ((m.open_after <> 0)::int - (m.open_before <> 0)::int) as n,
        ${sign} * (m.open_after - m.open_before) as open
      from aging_movements m
      where m.workspace_id = ${ws} and m.on_date > ${lo}::date and m.on_date <= ${hi}::date${currency(sql`m.currency`)}
    )`);
    parts.push(sql`select m.client_id, m.currency, m.n, m.open, ${moveWeight} from moves m`);
    if (!byIssue) {
      parts.push(sql`select u.client_id, u.currency, 0, 0, ${sign} * u.open_minor * (${asOf}::date - u.due_on)
        from aging_month_end_dues u
        where u.workspace_id = ${ws} and u.month_end = ${monthEnd}::date
          and u.due_on >= ${lo}::date and u.due_on < ${hi}::date${currency(sql`u.currency`)}`);
    }
  }
  ctes.push(
    sql`live as (
      select client_id, currency, sum(n)::bigint as n, sum(total)::bigint as total, sum(weighted)::bigint as weighted
      from (${sql.join(parts, sql` union all `)}) x
      group by client_id, currency
    )`,
    ...bucketSql.rankingCtes(q),
    // The top debtors' invoices at asOf: today's open amount plus what was paid or credited after
    // it (a few hundred invoices, each with its own payments by index).
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
      select client_id, currency, max(days) as max_days, ${bucketSql.bucketAmounts(q.edges, sql`open`)} as amounts
      from debtor_items where open <> 0 group by client_id, currency
    )`,
    sql`totals as (
      select currency, sum(n) as n, ${bucketSql.bucketAmounts(q.edges, sql`open`)} as amounts
      from (
        select t.currency, t.open_count::bigint as n, t.open_minor as open,
          ${asOf}::date - ${byIssue ? sql`t.issue_date` : sql`t.due_on`} as days
        from aging_month_end_totals t
        where t.workspace_id = ${ws} and t.month_end = ${monthEnd}::date${currency(sql`t.currency`)}
        ${
          moving
            ? sql`union all select m.currency, sum(m.n), sum(m.open), ${asOf}::date - m.age_on from moves m
                group by m.currency, m.age_on`
            : sql``
        }
      ) d
      group by currency having sum(n) > 0
    )`,
  );
  return sql`with ${sql.join(ctes, sql`, `)} ${bucketSql.summarySelect}`;
}

/** Lists a day to keep and computes its balances from the invoices (blocks writers meanwhile). */
export async function takeAgingMonthEnd(db: Db, workspaceId: string, monthEnd: string): Promise<void> {
  await db.transaction(async (tx) => {
    await queryRows(
      tx as unknown as Db,
      sql`select aging_month_end_take(${workspaceId}::uuid, ${monthEnd}::date)`,
    );
  });
}

/**
 * Keeps the last 24 month-ends, the 15ths since and yesterday (migrations 0045, 0046): forgets the
 * days no longer wanted (the day before yesterday, those past 24 months) and takes the most recent
 * missing one; the day taken, or undefined when all are kept.
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
