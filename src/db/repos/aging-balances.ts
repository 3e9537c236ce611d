// The /aging summary (bucket totals per currency, top debtors, how many balances) from the open
// balances that the invoice triggers keep (src/db/schema/aging.ts), instead of aging every open
// invoice: ~17,000 summary rows and the invoices that are not yet overdue at the as-of date,
// against ~91,000 open invoices on the bench. Same result as summarizeAging (tests).
import { type SQL, sql } from "drizzle-orm";
import type { AgingBasis, AgingSummary, StoredRate } from "../../domain/aging.ts";
import { type Db, queryRows } from "../client.ts";
import { daysInBucket, NOT_RECEIVABLE, readSummaryRows, type SummaryDbRow, touchedAfter } from "./aging.ts";

export type AgingBalancesQuery = {
  workspaceId: string;
  asOf: string;
  basis: AgingBasis;
  edges: readonly number[];
  /** The only filter the balances can answer; client, project and collector need the invoices. */
  currency?: string;
  baseCurrency: string;
  rates: readonly StoredRate[];
  top: number;
};

/**
 * Per balance (client × currency), Σ open × days past due at asOf is linear in the stored sums for
 * the invoices already due at asOf: open × (asOf − 2000-01-01) − Σ open × (due − 2000-01-01). So
 * the statement starts from the stored sums and corrects them with three small sets:
 * - `late`: invoices open now that are not overdue at asOf (due on or after it) or were issued
 *   after it; the linear formula counted them with negative days, and the ones issued after asOf
 *   are no part of the snapshot at all;
 * - `moved`: invoices with payments or credit notes dated after asOf, whose open amount at asOf
 *   differs from today's (added back, as in summarizeAging);
 * - the top debtors' own invoices, for their per-bucket amounts and oldest item.
 * As of today `moved` is empty and `late` is the not-yet-due invoices (~19,000 of 91,000 open).
 */
export async function summarizeAgingBalances(db: Db, q: AgingBalancesQuery): Promise<AgingSummary> {
  const { workspaceId: ws, asOf } = q;
  const buckets = Array.from({ length: q.edges.length + 2 }, (_, k) => k);
  const bucketSums = (amount: SQL) =>
    sql.join(
      buckets.map((k) => sql`coalesce(sum(${amount}) filter (where ${daysInBucket(q.edges, k)}), 0)`),
      sql`, `,
    );
  const byIssue = q.basis === "issue";
  const ageFrom = byIssue ? sql`i.issue_date` : sql`coalesce(i.due_date, i.issue_date)`;
  const currency = (column: SQL) => (q.currency ? sql` and ${column} = ${q.currency}` : sql``);
  const receivable = sql`i.workspace_id = ${ws} and i.kind <> 'credit_note' and i.status not in ${NOT_RECEIVABLE}${currency(sql`i.currency`)}`;
  const epochDays = sql`(${asOf}::date - date '2000-01-01')`;
  const daySum = byIssue ? sql`b.issue_day_sum` : sql`b.due_day_sum`;
  const lateColumns = (age: SQL) =>
    sql`i.client_id, i.currency, ${age} as age_on, i.issue_date, i.open_minor`;
  // Disjoint index ranges, each an index-only scan of the open invoices (no OR over a coalesce).
  const late = byIssue
    ? sql`select ${lateColumns(sql`i.issue_date`)} from invoices i
        where ${receivable} and i.open_minor <> 0 and i.issue_date >= ${asOf}::date`
    : sql`select ${lateColumns(sql`i.due_date`)} from invoices i
        where ${receivable} and i.open_minor <> 0 and i.due_date >= ${asOf}::date
      union all
      select ${lateColumns(sql`i.issue_date`)} from invoices i
        where ${receivable} and i.open_minor <> 0 and i.due_date is null and i.issue_date >= ${asOf}::date
      union all
      select ${lateColumns(sql`i.due_date`)} from invoices i
        where ${receivable} and i.open_minor <> 0 and i.due_date < ${asOf}::date
          and i.due_date < i.issue_date and i.issue_date > ${asOf}::date`;
  // trunc(x × rate) is what inBase computes in the domain; null without a rate.
  const inBase = (x: SQL) => {
    const converted = q.rates.map(
      (r) => sql`when ${r.currency} then trunc(${x} * ${r.rate}::numeric)::bigint`,
    );
    return sql`(case when currency = ${q.baseCurrency} then ${x}
      ${converted.length > 0 ? sql`else (case currency::text ${sql.join(converted, sql` `)} end)` : sql``} end)`;
  };
  const top = sql.raw(String(Math.trunc(q.top)));
  const rows = await queryRows<SummaryDbRow>(
    db,
    sql`with ${touchedAfter(ws, asOf)},
      moved as (
        select i.client_id, i.currency, ${ageFrom} as age_on, i.open_minor as now,
          (i.open_minor + coalesce(pa.amount, 0) + coalesce(ca.amount, 0))::bigint as was
        from touched t join invoices i on i.id = t.invoice_id
          left join paid_after pa on pa.invoice_id = t.invoice_id
          left join credited_after ca on ca.invoice_id = t.invoice_id
        where ${receivable} and i.issue_date <= ${asOf}::date
      ),
      late as (${late}),
      -- The stored sums, the corrections for late and moved invoices, added up per balance in one
      -- aggregate. Day sums are exact numerics at rest; bigint here (per balance, |open| × days
      -- stays far below 9.2e18 for any open amount a JS number can carry).
      parts as (
        select b.client_id, b.currency, b.open_count as n, b.open_minor as total,
          b.open_minor * ${epochDays} - ${daySum}::bigint as weighted
        from aging_balances b where b.workspace_id = ${ws}${currency(sql`b.currency`)}
        union all
        select client_id, currency, -(issue_date > ${asOf}::date)::int,
          case when issue_date > ${asOf}::date then -open_minor else 0 end,
          open_minor * (age_on - ${asOf}::date)
        from late
        union all
        select client_id, currency, (was <> 0)::int - (now <> 0)::int, was - now,
          (was - now) * greatest(${asOf}::date - age_on, 0)
        from moved
      ),
      live as (
        select client_id, currency, sum(n)::int as n, sum(total)::bigint as total, sum(weighted)::bigint as weighted
        from parts group by client_id, currency
        having sum(n) > 0
      ),
      scored as (
        select client_id, currency, n, total, weighted,
          ${inBase(sql`weighted`)} as score, ${inBase(sql`total`)} as total_base
        from live
      ),
      -- rankDebtors' order as one descending key; the cut-off row comes from a bounded (top-N)
      -- sort, then every balance tied with it is kept, as FETCH … WITH TIES would (which sorts all).
      keyed as (
        select *, score is not null as rated, coalesce(score, weighted) as by_score,
          coalesce(total_base, total) as by_total
        from scored
      ),
      cutoff as (
        select rated, by_score, by_total from keyed
        order by rated desc, by_score desc, by_total desc offset ${top} - 1 limit 1
      ),
      leaders as (
        select * from keyed
        where not exists (select from cutoff)
          or (rated, by_score, by_total) >= (select rated, by_score, by_total from cutoff)
      ),
      ranked as (
        select l.*, c.external_id, c.name from leaders l join clients c on c.id = l.client_id
        order by l.rated desc, l.by_score desc, l.by_total desc, c.name collate "C", l.currency collate "C",
          l.client_id
        limit ${top}
      ),
      debtor_items as (
        select i.client_id, i.currency, (${asOf}::date - ${ageFrom}) as days,
          (i.open_minor + coalesce(pa.amount, 0) + coalesce(ca.amount, 0))::bigint as open
        from ranked r
          join invoices i on i.workspace_id = ${ws} and i.client_id = r.client_id and i.currency = r.currency
            and i.open_minor <> 0
          left join paid_after pa on pa.invoice_id = i.id
          left join credited_after ca on ca.invoice_id = i.id
        where ${receivable} and i.issue_date <= ${asOf}::date
        union all
        select m.client_id, m.currency, (${asOf}::date - m.age_on), m.was
        from moved m join ranked r on r.client_id = m.client_id and r.currency = m.currency
        where m.now = 0
      ),
      debtor_buckets as (
        select client_id, currency, max(days) as max_days, concat_ws(',', ${bucketSums(sql`open`)}) as amounts
        from debtor_items where open <> 0 group by client_id, currency
      ),
      dated as (
        select t.currency, ${byIssue ? sql`t.issue_date` : sql`t.due_on`} as age_on,
          t.open_count::bigint as n, t.open_minor as open
        from aging_due_totals t
        where t.workspace_id = ${ws} and t.issue_date <= ${asOf}::date${currency(sql`t.currency`)}
        union all
        select currency, age_on, (was <> 0)::int - (now <> 0)::int, was - now from moved
      ),
      totals as (
        select currency, sum(n) as n, concat_ws(',', ${bucketSums(sql`open`)}) as amounts
        from (select currency, n, open, ${asOf}::date - age_on as days from dated) d
        group by currency having sum(n) > 0
      )
      select 'total' as kind, null::uuid as client_id, null as external_id, null as name, currency, amounts,
        n::int as n, null::int as max_days, null as weighted
      from totals
      union all
      select 'debtor', r.client_id, r.external_id, r.name, r.currency, d.amounts, r.n::int, d.max_days::int,
        r.weighted::text
      from ranked r join debtor_buckets d on d.client_id = r.client_id and d.currency = r.currency
      union all
      select 'count', null, null, null, null, null, count(*)::int, null, null from scored`,
  );
  return readSummaryRows(rows);
}

/** Recomputes a workspace's open balances from its invoices (after a load with triggers off). */
export async function rebuildAgingBalances(db: Db, workspaceId: string): Promise<void> {
  await queryRows(db, sql`select aging_balances_rebuild(${workspaceId}::uuid)`);
}
