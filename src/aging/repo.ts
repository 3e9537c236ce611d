// Aged receivables in SQL: one aggregate per report (grouped by client, currency and bucket), the
// invoices of one bucket (drill-down), the metrics inputs and the filter choices. No rules here:
// bucket edges, the basis and the as-of date come in; the domain builds the report.
import { type SQL, sql } from "drizzle-orm";
import { type Db, queryRows, type Row } from "../db/client.ts";
import type { AgingAggregateRow, AgingBasis, AgingSummary, StoredRate } from "../domain/aging.ts";
import { bucketSql } from "./buckets-repo.ts";

export type AgingFilters = {
  clientId?: string;
  projectId?: string;
  /** Only these projects (a PM's own): an empty list matches nothing. */
  projectIds?: readonly string[];
  collectorMemberId?: string;
  currency?: string;
};

export type AgingQuery = {
  workspaceId: string;
  asOf: string;
  basis: AgingBasis;
  edges: readonly number[];
  filters: AgingFilters;
};

// Documents that are receivables once issued; credit notes reduce them, they are not aged themselves.
export const NOT_RECEIVABLE = sql`('draft', 'held', 'void')`;

/**
 * The open items at asOf, one row per invoice: a true snapshot. Open at asOf = today's cached
 * open_minor + payments dated after asOf + credit notes issued after asOf against it; invoices
 * issued after asOf are left out. Invoices open now come through the partial index
 * invoices_open_idx; the ones settled since asOf come through payments/credit notes dated after
 * it (indexes on (workspace_id, paid_on) and (workspace_id, issue_date)), so neither branch
 * scans the invoice history.
 */
function openItems(q: AgingQuery): SQL {
  const { workspaceId: ws, asOf } = q;
  const ageFrom = q.basis === "issue" ? sql`i.issue_date` : sql`coalesce(i.due_date, i.issue_date)`;
  const extra = filterSql(q.filters);
  // Only columns of invoices_open_idx, so the open branch is an index-only scan.
  const columns = sql`i.id, i.client_id, i.project_id, i.currency, i.open_minor, i.issue_date, i.due_date, i.kind, i.status`;
  return sql`
    ${touchedAfter(ws, asOf)},
    candidates as (
      select ${columns} from invoices i where i.workspace_id = ${ws} and i.open_minor <> 0
      union all
      select ${columns} from invoices i join touched t on t.invoice_id = i.id
      where i.workspace_id = ${ws} and i.open_minor = 0
    ),
    items as (
      select i.id, i.client_id, i.currency, i.due_date, i.issue_date,
        (i.open_minor + coalesce(pa.amount, 0) + coalesce(ca.amount, 0))::bigint as open,
        (${asOf}::date - ${ageFrom})::int as days
      from candidates i
      left join paid_after pa on pa.invoice_id = i.id
      left join credited_after ca on ca.invoice_id = i.id
      where i.kind <> 'credit_note' and i.status not in ${NOT_RECEIVABLE}
        and i.issue_date <= ${asOf}::date${extra}
    ),
    aged as (
      select items.*, ${bucketSql.bucketCase(q.edges)} as bucket from items where open <> 0
    )`;
}

/**
 * Report statements run without JIT compilation: their CTE joins are estimated far above what they
 * read, which pushes PostgreSQL past jit_above_cost, and compiling took 3.5 s of a 4.7 s past-date
 * summary on the bench (1.3 s of the full aggregate) for statements that run in milliseconds to a
 * second. SET LOCAL, so only this read-only transaction is affected; repeatable read, so that the
 * statements of one report see one snapshot.
 */
export async function inReportTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(
    async (tx) => {
      await tx.execute(sql`set local jit = off`);
      return fn(tx as unknown as Db);
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** One report statement (see inReportTransaction). */
export async function queryReport<T extends Row>(db: Db, statement: SQL): Promise<T[]> {
  return inReportTransaction(db, (tx) => queryRows<T>(tx, statement));
}

/** The client, project and currency filters as conditions on invoices aliased i. */
function partyConditions(filters: AgingFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.clientId) conditions.push(sql`i.client_id = ${filters.clientId}`);
  if (filters.projectId) conditions.push(sql`i.project_id = ${filters.projectId}`);
  if (filters.projectIds) {
    // An array literal, as for the rates: one parameter that both drivers pass the same way.
    const ids = `{${filters.projectIds.join(",")}}`;
    conditions.push(sql`i.project_id = any(${ids}::uuid[])`);
  }
  if (filters.currency) conditions.push(sql`i.currency = ${filters.currency}`);
  return conditions;
}

/** The report's filters as " and …" conditions on invoices aliased i (empty without filters). */
function filterSql(filters: AgingFilters): SQL {
  const conditions = partyConditions(filters);
  if (filters.collectorMemberId) {
    conditions.push(sql`coalesce(
      (select ic.collector_member_id from invoice_collections ic where ic.invoice_id = i.id),
      (select c.collector_member_id from clients c where c.id = i.client_id)
    ) = ${filters.collectorMemberId}`);
  }
  return conditions.length > 0 ? sql` and ${sql.join(conditions, sql` and `)}` : sql``;
}

/** Payments and credit notes dated after asOf, per invoice, and the invoices they touch. */
export function touchedAfter(ws: string, asOf: string): SQL {
  return sql`
    paid_after as (
      select p.invoice_id, sum(p.amount_minor)::bigint as amount
      from payments p
      where p.workspace_id = ${ws} and p.paid_on > ${asOf}::date
      group by p.invoice_id
    ),
    credited_after as (
      select cn.corrects_invoice_id as invoice_id, sum(abs(cn.total_minor - cn.withholding_minor))::bigint as amount
      from invoices cn
      where cn.workspace_id = ${ws} and cn.kind = 'credit_note' and cn.corrects_invoice_id is not null
        and cn.status not in ${NOT_RECEIVABLE} and cn.issue_date > ${asOf}::date
      group by cn.corrects_invoice_id
    ),
    touched as (
      select invoice_id from paid_after union select invoice_id from credited_after
    )`;
}

type AggregateDbRow = {
  client_id: string;
  external_id: string;
  name: string;
  currency: string;
  bucket: number;
  open: string;
  count: number;
  max_days: number;
  weighted: string;
};

/**
 * Open amounts grouped by client, currency and bucket: the one aggregate behind every report, its
 * rows in rankDebtors' order of their client × currency balances (rankAllCtes in buckets-repo.ts).
 */
export async function aggregateAging(
  db: Db,
  q: AgingQuery & { baseCurrency: string; rates: readonly StoredRate[] },
): Promise<AgingAggregateRow[]> {
  const rank = bucketSql.rankAllCtes(q);
  const rows = await queryReport<AggregateDbRow>(
    db,
    sql`with ${openItems(q)},
      g as (
        select client_id, currency, bucket, sum(open) as open, count(*)::int as count,
          max(days)::int as max_days, sum(open * greatest(days, 0)) as weighted
        from aged group by client_id, currency, bucket
      ),
      ${sql.join(rank.ctes, sql`, `)}
      select g.client_id, c.external_id, c.name, g.currency, g.bucket, g.open::text as open, g.count,
        g.max_days, g.weighted::text as weighted
      from g
      join scored s on s.client_id = g.client_id and s.currency = g.currency
      join clients c on c.id = g.client_id
      order by ${rank.orderBy}`,
  );
  return rows.map((r) => ({
    clientId: r.client_id,
    externalId: r.external_id,
    clientName: r.name,
    currency: r.currency.trim(),
    bucket: Number(r.bucket),
    openMinor: Number(r.open),
    count: Number(r.count),
    maxDaysPastDue: Number(r.max_days),
    weightedMinorDays: r.weighted.split(".")[0] ?? "0",
  }));
}

/**
 * The Slack reply and the App Home show per-currency bucket totals and the top debtors only, so
 * the database does the grouping and the ranking and returns a dozen rows instead of every
 * client × currency × bucket (≈ 38,000 rows on the bench, ≈ 450 ms).
 *
 * Instead of aging every item with the joins of openItems (a per-row cost), the statement
 * aggregates today's open invoices straight from invoices_open_client_idx, ordered by client and
 * currency, so the grouping streams (GroupAggregate, no hash table to spill), and then corrects
 * that aggregate with the few invoices touched after asOf (payments and credit notes dated after
 * it): their contribution now is taken out and their contribution at asOf is put in. Every
 * figure is a sum, except the oldest days past due: when a touched invoice drops out at asOf
 * (open now, settled then) that client's oldest is recomputed from its own rows.
 *
 * The ranking is the one of every summary (rankingCtes in buckets-repo.ts).
 */
export async function summarizeAging(
  db: Db,
  q: AgingQuery & { baseCurrency: string; rates: readonly StoredRate[]; top: number },
): Promise<AgingSummary> {
  const { workspaceId: ws, asOf } = q;
  const width = q.edges.length + 2;
  const buckets = Array.from({ length: width }, (_, k) => k);
  const ageFrom = q.basis === "issue" ? sql`i.issue_date` : sql`coalesce(i.due_date, i.issue_date)`;
  const receivable = sql`i.workspace_id = ${ws} and i.kind <> 'credit_note' and i.status not in ${NOT_RECEIVABLE}
    and i.issue_date <= ${asOf}::date${filterSql(q.filters)}`;
  const days = sql`(${asOf}::date - ${ageFrom})`;
  // Bucket k holds days past due in [low, high]: "current" ≤ 0, the last one > the last edge.
  const edge = (i: number) => Math.trunc(q.edges[i] ?? 0);
  const low = (k: number) => (k === 1 ? 1 : edge(k - 2) + 1);
  const high = (k: number) => edge(k - 1);
  // On the date itself for the big scan (cheaper per row than on the difference of dates).
  const inBucket = (k: number, date: SQL) => {
    if (k === 0) return sql`${date} >= ${asOf}::date`;
    if (k === width - 1) return sql`${date} < ${asOf}::date - ${sql.raw(String(edge(k - 2)))}`;
    return sql`${date} between ${asOf}::date - ${sql.raw(String(high(k)))} and ${asOf}::date - ${sql.raw(String(low(k)))}`;
  };
  const movedBucket = (k: number) => bucketSql.daysInBucket(q.edges, k);
  const cols = (f: (k: number) => SQL) => sql.join(buckets.map(f), sql`, `);
  const b = (k: number) => sql.raw(`b${k}`);
  const rows = await queryReport<SummaryDbRow>(
    db,
    sql`with ${touchedAfter(ws, asOf)},
      open_now as (
        select i.client_id, i.currency, count(*)::int as n, max(${days})::int as max_days,
          sum(i.open_minor * greatest(${days}, 0)) as weighted,
          ${cols((k) => sql`coalesce(sum(i.open_minor) filter (where ${inBucket(k, ageFrom)}), 0) as ${b(k)}`)}
        from invoices i where ${receivable} and i.open_minor <> 0
        group by i.client_id, i.currency
      ),
      moved as (
        select i.client_id, i.currency, i.open_minor as now,
          (i.open_minor + coalesce(pa.amount, 0) + coalesce(ca.amount, 0))::bigint as was, ${days}::int as days
        from touched t join invoices i on i.id = t.invoice_id
          left join paid_after pa on pa.invoice_id = t.invoice_id
          left join credited_after ca on ca.invoice_id = t.invoice_id
        where ${receivable}
      ),
      delta as (
        select client_id, currency,
          (count(*) filter (where was <> 0) - count(*) filter (where now <> 0))::int as n,
          max(days) filter (where was <> 0) as max_days,
          bool_or(now <> 0 and was = 0) as dropped,
          sum((was - now) * greatest(days, 0)) as weighted,
          ${cols((k) => sql`coalesce(sum(was - now) filter (where ${movedBucket(k)}), 0) as ${b(k)}`)}
        from moved group by client_id, currency
      ),
      refreshed as (
        select d.client_id, d.currency, m.max_days from delta d cross join lateral (
          select max(${days})::int as max_days from invoices i
          where ${receivable} and i.open_minor <> 0 and i.client_id = d.client_id and i.currency = d.currency
            and not exists (select 1 from touched t where t.invoice_id = i.id)
        ) m
        where d.dropped
      ),
      live as (
        select client_id, currency, coalesce(o.n, 0) + coalesce(d.n, 0) as n,
          (case when d.dropped then greatest(d.max_days, f.max_days)
            else greatest(o.max_days, d.max_days) end)::int as max_days,
          coalesce(o.weighted, 0) + coalesce(d.weighted, 0) as weighted,
          ${cols((k) => sql`coalesce(o.${b(k)}, 0) + coalesce(d.${b(k)}, 0) as ${b(k)}`)},
          ${sql.join(
            buckets.map((k) => sql`coalesce(o.${b(k)}, 0) + coalesce(d.${b(k)}, 0)`),
            sql` + `,
          )} as total
        from open_now o full join delta d using (client_id, currency)
          left join refreshed f using (client_id, currency)
        where coalesce(o.n, 0) + coalesce(d.n, 0) > 0
      ),
      ${sql.join(bucketSql.rankingCtes(q), sql`, `)},
      totals as (
        select currency, sum(n) as n, concat_ws(',', ${cols((k) => sql`sum(${b(k)})`)}) as amounts
        from live group by currency
      ),
      debtor_buckets as (select client_id, currency, max_days, concat_ws(',', ${cols(b)}) as amounts from ranked)
      ${bucketSql.summarySelect}`,
  );
  return readSummaryRows(rows);
}

/**
 * The rows of a summary statement: 'total' per currency (bucket amounts joined by commas), 'debtor'
 * per ranked balance, and one 'count' of all balances.
 */
export type SummaryDbRow = {
  kind: "total" | "debtor" | "count";
  client_id: string | null;
  external_id: string | null;
  name: string | null;
  currency: string | null;
  amounts: string | null;
  n: number;
  max_days: number | null;
  weighted: string | null;
};

export function readSummaryRows(rows: readonly SummaryDbRow[]): AgingSummary {
  const summary: AgingSummary = { totals: [], debtors: [], clientCount: 0 };
  const amounts = (text: string | null) => (text ?? "").split(",").map(Number);
  for (const r of rows) {
    if (r.kind === "count") {
      summary.clientCount = Number(r.n);
    } else if (r.kind === "total") {
      const currency = (r.currency ?? "").trim();
      amounts(r.amounts).forEach((openMinor, bucket) => {
        // The count is per currency: carried on its first bucket, as the domain sums them.
        (summary.totals as AgingSummary["totals"][number][]).push({
          currency,
          bucket,
          openMinor,
          count: bucket === 0 ? Number(r.n) : 0,
        });
      });
    } else {
      (summary.debtors as AgingSummary["debtors"][number][]).push({
        clientId: r.client_id ?? "",
        externalId: r.external_id ?? "",
        clientName: r.name ?? "",
        currency: (r.currency ?? "").trim(),
        buckets: amounts(r.amounts),
        count: Number(r.n),
        maxDaysPastDue: Number(r.max_days),
        weightedMinorDays: (r.weighted ?? "0").split(".")[0] ?? "0",
      });
    }
  }
  return summary;
}

export type AgingInvoiceRow = {
  invoiceId: string;
  clientId: string;
  clientName: string;
  number: string | null;
  currency: string;
  dueDate: string | null;
  issueDate: string | null;
  daysPastDue: number;
  openMinor: number;
};

/** The invoices of one bucket, oldest first, one page (offset pagination, pages are small). */
export async function listAgingInvoices(
  db: Db,
  q: AgingQuery & { bucket: number; offset: number; limit: number },
): Promise<{ invoices: AgingInvoiceRow[]; total: number }> {
  const rows = await queryReport<{
    id: string;
    client_id: string;
    name: string;
    number: string | null;
    currency: string;
    due_date: string | null;
    issue_date: string | null;
    days: number;
    open: string;
    total: number;
  }>(
    db,
    // Page first (ordered on indexed columns), then fetch numbers and names for that page only.
    sql`with ${openItems(q)},
      page as (
        select a.*, count(*) over ()::int as total from aged a where a.bucket = ${q.bucket}
        order by a.days desc, a.id offset ${q.offset} limit ${q.limit}
      )
      select p.id, p.client_id, c.name, inv.number, p.currency, p.due_date::text as due_date,
        p.issue_date::text as issue_date, p.days, p.open::text as open, p.total
      from page p join clients c on c.id = p.client_id join invoices inv on inv.id = p.id
      order by p.days desc, p.id`,
  );
  const total = rows[0] ? Number(rows[0].total) : await countAgingInvoices(db, q);
  return {
    total,
    invoices: rows.map((r) => ({
      invoiceId: r.id,
      clientId: r.client_id,
      clientName: r.name,
      number: r.number,
      currency: r.currency.trim(),
      dueDate: r.due_date,
      issueDate: r.issue_date,
      daysPastDue: Number(r.days),
      openMinor: Number(r.open),
    })),
  };
}

async function countAgingInvoices(db: Db, q: AgingQuery & { bucket: number }): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`with ${openItems(q)} select count(*)::int as n from aged where bucket = ${q.bucket}`,
  );
  return Number(row?.n ?? 0);
}

export type SalesRow = {
  currency: string;
  month: string;
  /** Credit sales net of credit notes (interest notes excluded). */
  sales: number;
  periodSales: number;
  interestBilled: number;
};

/**
 * Credit sales per currency and calendar month from `fromMonth` to asOf, plus the part of it in the
 * `periodDays` days ending at asOf. Same filters as the report.
 */
export async function listCreditSales(
  db: Db,
  q: AgingQuery & { fromMonth: string; periodDays: number },
): Promise<SalesRow[]> {
  const { workspaceId: ws, asOf, filters } = q;
  const conditions = partyConditions(filters);
  if (filters.collectorMemberId) {
    conditions.push(sql`coalesce(
      (select ic.collector_member_id from invoice_collections ic where ic.invoice_id = coalesce(i.corrects_invoice_id, i.id)),
      (select c.collector_member_id from clients c where c.id = i.client_id)
    ) = ${filters.collectorMemberId}`);
  }
  const extra = conditions.length > 0 ? sql` and ${sql.join(conditions, sql` and `)}` : sql``;
  const signed = sql`(case when i.kind = 'credit_note' then -abs(i.total_minor - i.withholding_minor)
    else i.total_minor - i.withholding_minor end)`;
  // The whole book: from the daily sums a trigger keeps (aging_daily_sales, same definition), about
  // 180 rows per currency instead of six months of invoices.
  const daily = sql`select s.currency, date_trunc('month', s.issue_date)::date::text as month,
        sum(s.sales_minor)::text as sales,
        sum(s.sales_minor) filter (where s.issue_date > ${asOf}::date - ${q.periodDays}::int)::text as period_sales,
        sum(s.interest_minor)::text as interest
      from aging_daily_sales s
      where s.workspace_id = ${ws} and s.issue_date >= ${q.fromMonth}::date and s.issue_date <= ${asOf}::date
      group by s.currency, date_trunc('month', s.issue_date)`;
  const rows = await queryRows<{
    currency: string;
    month: string;
    sales: string | null;
    period_sales: string | null;
    interest: string | null;
  }>(
    db,
    conditions.length === 0
      ? daily
      : sql`select i.currency, date_trunc('month', i.issue_date)::date::text as month,
        sum(${signed}) filter (where i.kind <> 'interest_note')::text as sales,
        sum(${signed}) filter (where i.kind <> 'interest_note'
          and i.issue_date > ${asOf}::date - ${q.periodDays}::int)::text as period_sales,
        sum(${signed}) filter (where i.kind = 'interest_note')::text as interest
      from invoices i
      where i.workspace_id = ${ws} and i.status not in ${NOT_RECEIVABLE}
        and i.issue_date >= ${q.fromMonth}::date and i.issue_date <= ${asOf}::date${extra}
      group by i.currency, date_trunc('month', i.issue_date)`,
  );
  return rows.map((r) => ({
    currency: r.currency.trim(),
    month: r.month,
    sales: Number(r.sales ?? 0),
    periodSales: Number(r.period_sales ?? 0),
    interestBilled: Number(r.interest ?? 0),
  }));
}

/** Cash collected per currency between two dates (inclusive), same filters as the report. */
export async function sumCollections(db: Db, q: AgingQuery & { from: string }): Promise<Map<string, number>> {
  const { workspaceId: ws, filters } = q;
  const conditions = partyConditions(filters);
  if (filters.collectorMemberId) {
    conditions.push(sql`coalesce(
      (select ic.collector_member_id from invoice_collections ic where ic.invoice_id = i.id),
      (select c.collector_member_id from clients c where c.id = i.client_id)
    ) = ${filters.collectorMemberId}`);
  }
  const extra = conditions.length > 0 ? sql` and ${sql.join(conditions, sql` and `)}` : sql``;
  // Without filters, the daily sums a trigger keeps (aging_daily_collections, payments by currency
  // and day): at most a month of rows instead of a month of payments.
  const rows = await queryRows<{ currency: string; amount: string }>(
    db,
    conditions.length === 0
      ? sql`select c.currency, sum(c.amount_minor)::text as amount from aging_daily_collections c
          where c.workspace_id = ${ws} and c.paid_on >= ${q.from}::date and c.paid_on <= ${q.asOf}::date
          group by c.currency`
      : sql`select i.currency, sum(p.amount_minor)::text as amount
          from payments p join invoices i on i.id = p.invoice_id
          where p.workspace_id = ${ws} and p.paid_on >= ${q.from}::date and p.paid_on <= ${q.asOf}::date${extra}
          group by i.currency`,
  );
  return new Map(rows.map((r) => [r.currency.trim(), Number(r.amount)]));
}

export type FilterChoice = { id: string; label: string };
export type AgingFilterChoices = {
  projects: FilterChoice[];
  collectors: FilterChoice[];
  /** true when there were more than `limit` choices of that kind. */
  projectsTruncated: boolean;
  collectorsTruncated: boolean;
};

/** Projects and collectors that have open invoices now (for the filter selects), at most `limit`. */
export async function listAgingFilterChoices(
  db: Db,
  workspaceId: string,
  limit: number,
): Promise<AgingFilterChoices> {
  const projects = await queryRows<{ id: string; label: string }>(
    db,
    sql`select p.id, p.code || ' · ' || p.name as label from projects p
      where p.workspace_id = ${workspaceId} and exists (
        select 1 from invoices i where i.workspace_id = ${workspaceId} and i.open_minor <> 0 and i.project_id = p.id)
      order by p.code limit ${limit + 1}`,
  );
  const collectors = await queryRows<{ id: string; label: string }>(
    db,
    sql`select m.id, m.name as label from members m
      where m.workspace_id = ${workspaceId} and exists (
        select 1 from clients c where c.workspace_id = ${workspaceId} and c.collector_member_id = m.id)
      order by m.name limit ${limit + 1}`,
  );
  return {
    projects: projects.slice(0, limit),
    collectors: collectors.slice(0, limit),
    projectsTruncated: projects.length > limit,
    collectorsTruncated: collectors.length > limit,
  };
}

/** Clients whose external id or name matches (exact first, then case-insensitive). */
export async function findClients(db: Db, workspaceId: string, text: string): Promise<FilterChoice[]> {
  return queryRows<FilterChoice>(
    db,
    sql`select id, name as label from clients
      where workspace_id = ${workspaceId} and (external_id = ${text} or lower(name) = lower(${text}) or id::text = ${text})
      order by (external_id = ${text}) desc, name limit 5`,
  );
}

export async function findProjects(db: Db, workspaceId: string, text: string): Promise<FilterChoice[]> {
  return queryRows<FilterChoice>(
    db,
    sql`select id, code || ' · ' || name as label from projects
      where workspace_id = ${workspaceId} and (lower(code) = lower(${text}) or lower(name) = lower(${text}) or id::text = ${text})
      order by code limit 5`,
  );
}

/** A client or project by its id and the texts people type for it (external id or code, name). */
export type NamedTarget = {
  kind: "client" | "project";
  id: string;
  label: string;
  code: string;
  name: string;
};

/** Every client and project of the workspace, for matching the start of a name with accents optional. */
export async function listNamedTargets(db: Db, workspaceId: string): Promise<NamedTarget[]> {
  return queryRows<NamedTarget>(
    db,
    sql`select 'client' as kind, id, name as label, external_id as code, name from clients
        where workspace_id = ${workspaceId}
      union all
      select 'project' as kind, id, code || ' · ' || name as label, code, name from projects
        where workspace_id = ${workspaceId}`,
  );
}

export async function findMembers(db: Db, workspaceId: string, text: string): Promise<FilterChoice[]> {
  return queryRows<FilterChoice>(
    db,
    sql`select id, name as label from members
      where workspace_id = ${workspaceId} and (slack_user_id = ${text} or lower(name) = lower(${text})
        or lower(email) = lower(${text}) or id::text = ${text})
      order by name limit 5`,
  );
}

export type AgingWorkspace = {
  id: string;
  baseCurrency: string;
  timeZone: string;
  locale: string;
  agingEdges: number[] | undefined;
};

export async function getAgingWorkspace(db: Db, workspaceId: string): Promise<AgingWorkspace | undefined> {
  const [row] = await queryRows<{
    id: string;
    base_currency: string;
    time_zone: string;
    locale: string;
    edges: unknown;
  }>(
    db,
    sql`select id, base_currency, time_zone, locale, settings -> 'agingEdges' as edges
      from workspaces where id = ${workspaceId}`,
  );
  if (!row) return undefined;
  const edges = typeof row.edges === "string" ? JSON.parse(row.edges) : row.edges;
  return {
    id: row.id,
    baseCurrency: row.base_currency.trim(),
    timeZone: row.time_zone,
    locale: row.locale,
    agingEdges: Array.isArray(edges) ? (edges as number[]) : undefined,
  };
}

/**
 * Clients or projects whose name, id or code contains the text (external selects), at most `limit`;
 * with `pmMemberId`, only the projects that member manages and their clients.
 */
export async function searchFilterChoices(
  db: Db,
  workspaceId: string,
  kind: "client" | "project",
  text: string,
  limit: number,
  pmMemberId?: string,
): Promise<FilterChoice[]> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  if (kind === "client") {
    const ofPm = pmMemberId
      ? sql` and exists (select 1 from projects p where p.client_id = clients.id and p.pm_member_id = ${pmMemberId})`
      : sql``;
    return queryRows<FilterChoice>(
      db,
      sql`select id, name || ' (' || external_id || ')' as label from clients
        where workspace_id = ${workspaceId} and (name ilike ${pattern} or external_id ilike ${pattern})${ofPm}
        order by name limit ${limit}`,
    );
  }
  const ofPm = pmMemberId ? sql` and pm_member_id = ${pmMemberId}` : sql``;
  return queryRows<FilterChoice>(
    db,
    sql`select id, code || ' · ' || name as label from projects
      where workspace_id = ${workspaceId} and (name ilike ${pattern} or code ilike ${pattern})${ofPm}
      order by code limit ${limit}`,
  );
}

/** The projects a member manages and their clients (a PM's /aging scope). */
export async function listProjectsManagedBy(
  db: Db,
  workspaceId: string,
  pmMemberId: string,
): Promise<{ projectId: string; clientId: string }[]> {
  const rows = await queryRows<{ id: string; client_id: string }>(
    db,
    sql`select id, client_id from projects where workspace_id = ${workspaceId} and pm_member_id = ${pmMemberId}`,
  );
  return rows.map((r) => ({ projectId: r.id, clientId: r.client_id }));
}
