// The /aging summary (bucket totals per currency, top debtors, how many balances) from the open
// balances that the invoice triggers keep (src/db/schema/aging.ts), instead of aging every open
// invoice: ~17,000 summary rows (and only the invoices that moved since the as-of date or the last
// roll-forward) against ~91,000 open invoices on the bench. Same result as the full report (tests).
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.ts";
import type { AgingBasis, AgingSummary, StoredRate } from "../domain/aging.ts";
import { bucketSql } from "./buckets-repo.ts";
import { nearestKeptMonthEnd, summarizeAgingMonthEnd } from "./month-end-repo.ts";
import {
  inReportTransaction,
  NOT_RECEIVABLE,
  readSummaryRows,
  type SummaryDbRow,
  touchedAfter,
} from "./repo.ts";

export type AgingBalancesQuery = {
  workspaceId: string;
  asOf: string;
  /** The workspace's today: its balances answer for it with no movement to apply. */
  today: string;
  basis: AgingBasis;
  edges: readonly number[];
  /** The only filter the balances can answer; client, project and collector need the invoices. */
  currency?: string;
  baseCurrency: string;
  rates: readonly StoredRate[];
  top: number;
};

type Probe = {
  /** Payments or credit notes dated after asOf: some open amounts differ at asOf. */
  moved: boolean;
  /** Open invoices issued after asOf: no part of the snapshot. */
  issuedLater: boolean;
  /** The range of due dates counted on the wrong side of overdue_before ([lo, hi), empty when equal). */
  lo: string;
  hi: string;
};

/** What the summary must correct for, read first so that the statement carries only those parts. */
async function probe(tx: Db, q: AgingBalancesQuery): Promise<Probe> {
  const { workspaceId: ws, asOf } = q;
  const currency = q.currency ? sql` and currency = ${q.currency}` : sql``;
  const [row] = await queryRows<{ moved: boolean; issued_later: boolean; lo: string; hi: string }>(
    tx,
    sql`select
      exists (select 1 from payments where workspace_id = ${ws} and paid_on > ${asOf}::date)
        or exists (select 1 from invoices where workspace_id = ${ws} and kind = 'credit_note'
          and issue_date > ${asOf}::date and status not in ${NOT_RECEIVABLE}) as moved,
      exists (select 1 from invoices where workspace_id = ${ws} and issue_date > ${asOf}::date
        and open_minor <> 0${currency}) as issued_later,
      least(${asOf}::date, min(overdue_before))::text as lo, greatest(${asOf}::date, max(overdue_before))::text as hi
    from aging_balances where workspace_id = ${ws}${currency}`,
  );
  return {
    moved: Boolean(row?.moved),
    issuedLater: Boolean(row?.issued_later),
    lo: row?.lo ?? asOf,
    hi: row?.hi ?? asOf,
  };
}

/**
 * Per balance (client × currency), Σ open × days past due at asOf over the invoices due before
 * overdue_before is linear in the stored sums: overdue × (asOf − 2000-01-01) − Σ overdue × (due −
 * 2000-01-01). By issue date, the same over every open invoice with the issue-date sums. The
 * statement starts from that and corrects it with small sets of invoices:
 * - `late`: open now and either due between overdue_before and asOf (counted on the wrong side of
 *   the line), or issued after asOf (no part of the snapshot); by issue date, issued on or after
 *   asOf. Once the day's roll-forward has moved overdue_before to today, today's reply has none;
 * - `moved`: invoices with payments or credit notes dated after asOf, whose open amount at asOf
 *   differs from today's (added back, as in summarizeAging);
 * - the top debtors' own invoices, for their per-bucket amounts and oldest item.
 * A probe first says which of those exist, so that today's statement (usually none) is small to
 * plan as well as to run. Bigint arithmetic on the way (the sums are exact numerics at rest):
 * |open| × days stays far below 9.2e18 for any balance a JS number can carry.
 */
export async function summarizeAgingBalances(db: Db, q: AgingBalancesQuery): Promise<AgingSummary> {
  return inReportTransaction(db, async (tx) => {
    // A past date starts from the nearest kept month-end (movements of at most half a month between
    // two of them); today, or a date no month-end is near, from today's balances.
    const monthEnd = q.asOf === q.today ? undefined : await nearestKeptMonthEnd(tx, q.workspaceId, q.asOf);
    if (monthEnd) return summarizeAgingMonthEnd(tx, q, monthEnd);
    const found = await probe(tx, q);
    return readSummaryRows(await queryRows<SummaryDbRow>(tx, summaryStatement(q, found)));
  });
}

function summaryStatement(q: AgingBalancesQuery, found: Probe): SQL {
  const { workspaceId: ws, asOf } = q;
  const byIssue = q.basis === "issue";
  const withMoved = found.moved;
  // By issue date the invoices issued on asOf itself are late: always looked at (a day's worth).
  const withLate = byIssue || found.issuedLater || found.lo !== found.hi;
  const ageFrom = byIssue ? sql`i.issue_date` : sql`coalesce(i.due_date, i.issue_date)`;
  const currency = (column: SQL) => (q.currency ? sql` and ${column} = ${q.currency}` : sql``);
  const receivable = sql`i.workspace_id = ${ws} and i.kind <> 'credit_note' and i.status not in ${NOT_RECEIVABLE}${currency(sql`i.currency`)}`;
  const openReceivable = sql`${receivable} and i.open_minor <> 0`;
  const epochDays = sql`(${asOf}::date - date '2000-01-01')`;
  const counted = byIssue
    ? sql`b.open_minor * ${epochDays} - b.issue_day_sum::bigint`
    : sql`b.overdue_minor * ${epochDays} - b.overdue_day_sum::bigint`;
  const lateColumns = (age: SQL) =>
    sql`i.client_id, i.currency, ${age} as age_on, i.issue_date, i.open_minor`;
  // Disjoint ranges of indexed columns (no OR over a coalesce): due in [lo, hi), then the ones
  // issued after asOf outside that range.
  const lo = sql`${found.lo}::date`;
  const hi = sql`${found.hi}::date`;
  const late = byIssue
    ? sql`select ${lateColumns(sql`i.issue_date`)} from invoices i
        where ${openReceivable} and i.issue_date >= ${asOf}::date`
    : sql`select ${lateColumns(sql`i.due_date`)} from invoices i
        where ${openReceivable} and i.due_date >= ${lo} and i.due_date < ${hi}
      union all
      select ${lateColumns(sql`i.issue_date`)} from invoices i
        where ${openReceivable} and i.due_date is null and i.issue_date >= ${lo} and i.issue_date < ${hi}
      union all
      select ${lateColumns(ageFrom)} from invoices i
        where ${openReceivable} and i.issue_date > ${asOf}::date
          and not (${ageFrom} >= ${lo} and ${ageFrom} < ${hi})`;
  // What the stored sums counted for a late invoice, and what it adds at asOf.
  const countedLate = byIssue
    ? sql`l.open_minor * (${asOf}::date - l.age_on)`
    : sql`(case when l.age_on < b.overdue_before then l.open_minor * (${asOf}::date - l.age_on) else 0 end)`;
  const trueLate = sql`(case when l.issue_date <= ${asOf}::date and l.age_on < ${asOf}::date
    then l.open_minor * (${asOf}::date - l.age_on) else 0 end)`;
  const ctes: SQL[] = [];
  if (withMoved) {
    ctes.push(
      touchedAfter(ws, asOf),
      sql`moved as (
        select i.client_id, i.currency, ${ageFrom} as age_on, i.open_minor as now, (i.open_minor + t.added)::bigint as was
        from (
          select coalesce(pa.invoice_id, ca.invoice_id) as invoice_id, coalesce(pa.amount, 0) + coalesce(ca.amount, 0) as added
          from paid_after pa full join credited_after ca on ca.invoice_id = pa.invoice_id
        ) t
          -- One primary-key probe per touched invoice (offset 0 keeps it a nested loop): the planner
          -- would hash the whole invoice history instead, slower for any month back.
          cross join lateral (select * from invoices i where i.id = t.invoice_id offset 0) i
        where ${receivable} and i.issue_date <= ${asOf}::date
      )`,
      sql`moved_sums as (
        select client_id, currency, count(*) filter (where was <> 0) - count(*) filter (where now <> 0) as n,
          sum(was - now)::bigint as open, sum((was - now) * greatest(${asOf}::date - age_on, 0))::bigint as weighted
        from moved group by client_id, currency
      )`,
    );
  }
  ctes.push(sql`balances as (
    select b.client_id, b.currency, b.open_count, b.open_minor, ${counted} as weighted
    from aging_balances b where b.workspace_id = ${ws}${currency(sql`b.currency`)}
  )`);
  if (withLate) {
    ctes.push(
      sql`late as (${late})`,
      sql`late_sums as (
        select l.client_id, l.currency, count(*) filter (where l.issue_date > ${asOf}::date) as n,
          coalesce(sum(l.open_minor) filter (where l.issue_date > ${asOf}::date), 0)::bigint as open,
          sum(${trueLate} - ${countedLate})::bigint as weighted
        from late l join aging_balances b on b.workspace_id = ${ws} and b.client_id = l.client_id
          and b.currency = l.currency
        group by l.client_id, l.currency
      )`,
    );
  }
  const l = (column: string) => (withLate ? sql.raw(` - coalesce(l.${column}, 0)`) : sql``);
  const lw = withLate ? sql` + coalesce(l.weighted, 0)` : sql``;
  const m = (column: string) => (withMoved ? sql.raw(` + coalesce(m.${column}, 0)`) : sql``);
  ctes.push(sql`live as (
    select ${withMoved ? sql`coalesce(b.client_id, m.client_id) as client_id, coalesce(b.currency, m.currency) as currency` : sql`b.client_id, b.currency`},
      coalesce(b.open_count, 0)${l("n")}${m("n")} as n,
      coalesce(b.open_minor, 0)${l("open")}${m("open")} as total,
      coalesce(b.weighted, 0)${lw}${m("weighted")} as weighted
    from balances b
      ${withLate ? sql`left join late_sums l on l.client_id = b.client_id and l.currency = b.currency` : sql``}
      ${withMoved ? sql`full join moved_sums m on m.client_id = b.client_id and m.currency = b.currency` : sql``}
  )`);
  ctes.push(...bucketSql.rankingCtes(q));
  ctes.push(
    sql`debtor_items as (
      select i.client_id, i.currency, (${asOf}::date - ${ageFrom}) as days,
        ${withMoved ? sql`(i.open_minor + coalesce(pa.amount, 0) + coalesce(ca.amount, 0))::bigint` : sql`i.open_minor`} as open
      from ranked r
        join invoices i on i.workspace_id = ${ws} and i.client_id = r.client_id and i.currency = r.currency
          and i.open_minor <> 0
        ${withMoved ? sql`left join paid_after pa on pa.invoice_id = i.id left join credited_after ca on ca.invoice_id = i.id` : sql``}
      where ${receivable} and i.issue_date <= ${asOf}::date
      ${
        withMoved
          ? sql`union all
      select m.client_id, m.currency, (${asOf}::date - m.age_on), m.was
      from moved m join ranked r on r.client_id = m.client_id and r.currency = m.currency
      where m.now = 0`
          : sql``
      }
    )`,
    sql`debtor_buckets as (
      select client_id, currency, max(days) as max_days, ${bucketSql.bucketAmounts(q.edges, sql`open`)} as amounts
      from debtor_items where open <> 0 group by client_id, currency
    )`,
    sql`dated as (
      select t.currency, ${byIssue ? sql`t.issue_date` : sql`t.due_on`} as age_on,
        t.open_count::bigint as n, t.open_minor as open
      from aging_due_totals t
      where t.workspace_id = ${ws} and t.issue_date <= ${asOf}::date${currency(sql`t.currency`)}
      ${withMoved ? sql`union all select currency, age_on, (was <> 0)::int - (now <> 0)::int, was - now from moved` : sql``}
    )`,
    sql`totals as (
      select currency, sum(n) as n, ${bucketSql.bucketAmounts(q.edges, sql`open`)} as amounts
      from (select currency, n, open, ${asOf}::date - age_on as days from dated) d
      group by currency having sum(n) > 0
    )`,
  );
  return sql`with ${sql.join(ctes, sql`, `)} ${bucketSql.summarySelect}`;
}

/**
 * Recomputes a workspace's open balances, movements, daily sales and collections from its invoices
 * and payments (after a load with triggers off), and forgets its month-ends (the scheduler takes
 * them again).
 */
export async function rebuildAgingBalances(db: Db, workspaceId: string, today: string): Promise<void> {
  await queryRows(db, sql`select aging_balances_rebuild(${workspaceId}::uuid, ${today}::date)`);
  await queryRows(db, sql`select aging_daily_sales_rebuild(${workspaceId}::uuid)`);
  await queryRows(db, sql`select aging_daily_collections_rebuild(${workspaceId}::uuid)`);
  await queryRows(db, sql`select aging_movements_rebuild(${workspaceId}::uuid)`);
  await queryRows(db, sql`delete from aging_month_end_dues where workspace_id = ${workspaceId}`);
  await queryRows(db, sql`delete from aging_month_ends where workspace_id = ${workspaceId}`);
  await queryRows(db, sql`delete from aging_month_end_balances where workspace_id = ${workspaceId}`);
  await queryRows(db, sql`delete from aging_month_end_totals where workspace_id = ${workspaceId}`);
}

/**
 * Moves the workspace's open balances to `today` (the day's roll-forward, so that the reply reads
 * no invoice); how many balances moved, 0 when already done. Exact whenever it runs or not.
 */
export async function rollAgingBalances(db: Db, workspaceId: string, today: string): Promise<number> {
  const [row] = await queryRows<{ rolled: number }>(
    db,
    sql`select aging_balances_roll(${workspaceId}::uuid, ${today}::date) as rolled`,
  );
  return Number(row?.rolled ?? 0);
}
