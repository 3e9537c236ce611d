// Ageing in one place: the buckets and the ranking of the debtors as every /aging statement
// computes them in SQL (the full aggregate in repo.ts, today's balances in balances-repo.ts, the
// month-end ones in month-end-repo.ts), and the rows the summary statements return, as one object
// `bucketSql` of SQL fragments. The TypeScript of src/domain/aging.ts (bucketIndex, rankDebtors)
// is the oracle the tests check these against.
import { type SQL, sql } from "drizzle-orm";
import type { StoredRate } from "../domain/aging.ts";

/** The condition on a column `days` (days past due) for bucket k of the given edges. */
function daysInBucket(edges: readonly number[], k: number): SQL {
  const edge = (i: number) => Math.trunc(edges[i] ?? 0);
  if (k === 0) return sql`days <= 0`;
  if (k === edges.length + 1) return sql.raw(`days > ${edge(k - 2)}`);
  return sql.raw(`days between ${k === 1 ? 1 : edge(k - 2) + 1} and ${edge(k - 1)}`);
}

/** The bucket number of a column `days`: 0 for not yet due, edges.length + 1 past the last edge. */
function bucketCase(edges: readonly number[]): SQL {
  const whens = edges.map((edge, i) => sql.raw(`when days <= ${Math.trunc(edge)} then ${i + 1}`));
  return sql`(case when days <= 0 then 0 ${sql.join(whens, sql` `)} else ${sql.raw(String(edges.length + 1))} end)`;
}

/** One sum of `amount` per bucket (over a column `days`), as the comma-separated list of an `amounts` column. */
function bucketAmounts(edges: readonly number[], amount: SQL): SQL {
  const buckets = Array.from({ length: edges.length + 2 }, (_, k) => k);
  const sums = buckets.map((k) => sql`coalesce(sum(${amount}) filter (where ${daysInBucket(edges, k)}), 0)`);
  return sql`concat_ws(',', ${sql.join(sums, sql`, `)})`;
}

/**
 * rankDebtors' keys over a `live` CTE (client_id, currency, n, total, weighted): `scored`, every
 * balance with something open, with `rated` (converted to the base currency), `by_score` (amount ×
 * age) and `by_total`. Offset 0 keeps each conversion computed once a row.
 */
function scoredCte(q: { baseCurrency: string; rates: readonly StoredRate[] }): SQL {
  // trunc(x × rate) is what inBase computes in the domain; null without a rate.
  const inBase = (x: SQL) => {
    const converted = q.rates.map(
      (r) => sql`when ${r.currency} then trunc(${x} * ${r.rate}::numeric)::bigint`,
    );
    return sql`(case when currency = ${q.baseCurrency} then ${x}
      ${converted.length > 0 ? sql`else (case currency::text ${sql.join(converted, sql` `)} end)` : sql``} end)`;
  };
  return sql`scored as materialized (
      select c.*, score is not null as rated, coalesce(score, weighted) as by_score,
        coalesce(total_base, total) as by_total
      from (
        select live.*, ${inBase(sql`weighted`)} as score, ${inBase(sql`total`)} as total_base from live
        where n > 0 offset 0
      ) c
    )`;
}

/** rankDebtors' order of `scored` rows (s) and their client's name (n): the first keys, then the ties. */
function rankOrder(s: string, n: string): SQL {
  return sql.raw(
    `${s}.rated desc, ${s}.by_score desc, ${s}.by_total desc, ${n}.name collate "C", ${s}.currency collate "C", ${s}.client_id`,
  );
}

/**
 * The full report's rows (`g`: client, currency, bucket) in rankDebtors' order over their balances:
 * the CTEs `live` and `scored` and the ORDER BY that ranks every balance (the domain keeps this order).
 */
function rankAllCtes(q: { baseCurrency: string; rates: readonly StoredRate[] }): {
  ctes: SQL[];
  orderBy: SQL;
} {
  return {
    ctes: [
      sql`live as (
        select client_id, currency, sum(count) as n, sum(open) as total, sum(weighted) as weighted
        from g group by client_id, currency
      )`,
      scoredCte(q),
    ],
    orderBy: sql`${rankOrder("s", "c")}, g.bucket`,
  };
}

/**
 * rankDebtors' order over a `live` CTE: `scored` (every balance with something open) and `ranked`
 * (the top debtors, named). The cut-off row comes from a bounded (top-N) sort, then every balance
 * tied with it is kept, as FETCH … WITH TIES would (which sorts them all).
 */
function rankingCtes(q: { baseCurrency: string; rates: readonly StoredRate[]; top: number }): SQL[] {
  const top = sql.raw(String(Math.trunc(q.top)));
  return [
    scoredCte(q),
    sql`cutoff as (
      select rated, by_score, by_total from scored
      order by rated desc, by_score desc, by_total desc offset ${top} - 1 limit 1
    )`,
    sql`leaders as (
      select * from scored
      where not exists (select from cutoff)
        or (rated, by_score, by_total) >= (select rated, by_score, by_total from cutoff)
    )`,
    // `position` carries the rank to the final SELECT: joining `ranked` keeps no order (a hash join
    // returns the debtors in their buckets' order).
    sql`ranked as (
      select named.*, row_number() over (order by ${rankOrder("named", "named")}) as position from (
        select l.*, (select external_id from clients where id = l.client_id) as external_id,
          (select name from clients where id = l.client_id) as name
        from leaders l
      ) named
      order by ${rankOrder("named", "named")}
      limit ${top}
    )`,
  ];
}

/**
 * The summary rows (see readSummaryRows) from `totals`, `ranked` and `debtor_buckets` CTEs: the
 * debtors in rank order (by their `position`, not the join's order), after the totals by currency.
 */
const SUMMARY_SELECT = sql`
    select 'total' as kind, null::uuid as client_id, null as external_id, null as name, currency, amounts,
      n::int as n, null::int as max_days, null as weighted, null::bigint as position
    from totals
    union all
    select 'debtor', r.client_id, r.external_id, r.name, r.currency, d.amounts, r.n::int, d.max_days::int,
      r.weighted::text, r.position
    from ranked r join debtor_buckets d on d.client_id = r.client_id and d.currency = r.currency
    union all
    select 'count', null, null, null, null, null, count(*)::int, null, null, null from scored
    order by position nulls first, currency`;

/** The fragments above, for the three repo files whose statements age and rank balances. */
export const bucketSql = {
  daysInBucket,
  bucketCase,
  bucketAmounts,
  rankAllCtes,
  rankingCtes,
  summarySelect: SUMMARY_SELECT,
} as const;
