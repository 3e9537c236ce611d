// Aged receivables in SQL: one aggregate per report (grouped by client, currency and bucket), the
// invoices of one bucket (drill-down), the metrics inputs and the filter choices. No rules here:
// bucket edges, the basis and the as-of date come in; the domain builds the report.
import { type SQL, sql } from "drizzle-orm";
import type { AgingAggregateRow, AgingBasis, StoredRate } from "../../domain/aging.ts";
import { type Db, queryRows } from "../client.ts";

export type AgingFilters = {
  clientId?: string;
  projectId?: string;
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
const NOT_RECEIVABLE = sql`('draft', 'held', 'void')`;

/**
 * The open items at asOf, one row per invoice: a true snapshot. Open at asOf = today's cached
 * open_minor + payments dated after asOf + credit notes issued after asOf against it; invoices
 * issued after asOf are left out. Invoices open now come through the partial index
 * invoices_open_idx; the ones settled since asOf come through payments/credit notes dated after
 * it (indexes on (workspace_id, paid_on) and (workspace_id, issue_date)), so neither branch
 * scans the invoice history.
 */
function openItems(q: AgingQuery): SQL {
  const { workspaceId: ws, asOf, filters } = q;
  const ageFrom = q.basis === "issue" ? sql`i.issue_date` : sql`coalesce(i.due_date, i.issue_date)`;
  const conditions: SQL[] = [];
  if (filters.clientId) conditions.push(sql`i.client_id = ${filters.clientId}`);
  if (filters.projectId) conditions.push(sql`i.project_id = ${filters.projectId}`);
  if (filters.currency) conditions.push(sql`i.currency = ${filters.currency}`);
  if (filters.collectorMemberId) {
    conditions.push(sql`coalesce(
      (select ic.collector_member_id from invoice_collections ic where ic.invoice_id = i.id),
      (select c.collector_member_id from clients c where c.id = i.client_id)
    ) = ${filters.collectorMemberId}`);
  }
  const extra = conditions.length > 0 ? sql` and ${sql.join(conditions, sql` and `)}` : sql``;
  // Only columns of invoices_open_idx, so the open branch is an index-only scan.
  const columns = sql`i.id, i.client_id, i.project_id, i.currency, i.open_minor, i.issue_date, i.due_date, i.kind, i.status`;
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
    ),
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
      select items.*, ${bucketCase(q.edges)} as bucket from items where open <> 0
    )`;
}

function bucketCase(edges: readonly number[]): SQL {
  const whens = edges.map((edge, i) => sql.raw(`when days <= ${Math.trunc(edge)} then ${i + 1}`));
  return sql`(case when days <= 0 then 0 ${sql.join(whens, sql` `)} else ${sql.raw(String(edges.length + 1))} end)`;
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

/** Open amounts grouped by client, currency and bucket: the one aggregate behind every report. */
export async function aggregateAging(db: Db, q: AgingQuery): Promise<AgingAggregateRow[]> {
  const rows = await queryRows<AggregateDbRow>(
    db,
    sql`with ${openItems(q)}
      select g.client_id, c.external_id, c.name, g.currency, g.bucket, g.open, g.count, g.max_days, g.weighted
      from (
        select client_id, currency, bucket, sum(open)::text as open, count(*)::int as count,
          max(days)::int as max_days, sum(open * greatest(days, 0))::text as weighted
        from aged group by client_id, currency, bucket
      ) g
      join clients c on c.id = g.client_id`,
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
  const rows = await queryRows<{
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

/** The latest stored rate to the base currency on or before asOf, per currency (closing rate). */
export async function listClosingRates(
  db: Db,
  workspaceId: string,
  baseCurrency: string,
  asOf: string,
): Promise<StoredRate[]> {
  const rows = await queryRows<{ currency: string; rate: string; on_date: string }>(
    db,
    sql`select distinct on (currency) currency, rate::text as rate, on_date::text as on_date
      from exchange_rates
      where workspace_id = ${workspaceId} and base_currency = ${baseCurrency} and on_date <= ${asOf}::date
      order by currency, on_date desc`,
  );
  return rows.map((r) => ({ currency: r.currency.trim(), rate: r.rate, onDate: r.on_date }));
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
  const conditions: SQL[] = [];
  if (filters.clientId) conditions.push(sql`i.client_id = ${filters.clientId}`);
  if (filters.projectId) conditions.push(sql`i.project_id = ${filters.projectId}`);
  if (filters.currency) conditions.push(sql`i.currency = ${filters.currency}`);
  if (filters.collectorMemberId) {
    conditions.push(sql`coalesce(
      (select ic.collector_member_id from invoice_collections ic where ic.invoice_id = coalesce(i.corrects_invoice_id, i.id)),
      (select c.collector_member_id from clients c where c.id = i.client_id)
    ) = ${filters.collectorMemberId}`);
  }
  const extra = conditions.length > 0 ? sql` and ${sql.join(conditions, sql` and `)}` : sql``;
  const signed = sql`(case when i.kind = 'credit_note' then -abs(i.total_minor - i.withholding_minor)
    else i.total_minor - i.withholding_minor end)`;
  const rows = await queryRows<{
    currency: string;
    month: string;
    sales: string | null;
    period_sales: string | null;
    interest: string | null;
  }>(
    db,
    sql`select i.currency, date_trunc('month', i.issue_date)::date::text as month,
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
  const conditions: SQL[] = [];
  if (filters.clientId) conditions.push(sql`i.client_id = ${filters.clientId}`);
  if (filters.projectId) conditions.push(sql`i.project_id = ${filters.projectId}`);
  if (filters.currency) conditions.push(sql`i.currency = ${filters.currency}`);
  if (filters.collectorMemberId) {
    conditions.push(sql`coalesce(
      (select ic.collector_member_id from invoice_collections ic where ic.invoice_id = i.id),
      (select c.collector_member_id from clients c where c.id = i.client_id)
    ) = ${filters.collectorMemberId}`);
  }
  const extra = conditions.length > 0 ? sql` and ${sql.join(conditions, sql` and `)}` : sql``;
  // Payments carry their invoice's currency: without filters no invoice is read (index-only).
  const rows = await queryRows<{ currency: string; amount: string }>(
    db,
    conditions.length === 0
      ? sql`select p.currency, sum(p.amount_minor)::text as amount from payments p
          where p.workspace_id = ${ws} and p.paid_on >= ${q.from}::date and p.paid_on <= ${q.asOf}::date
          group by p.currency`
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
  agingEdges: number[] | undefined;
};

export async function getAgingWorkspace(db: Db, workspaceId: string): Promise<AgingWorkspace | undefined> {
  const [row] = await queryRows<{ id: string; base_currency: string; time_zone: string; edges: unknown }>(
    db,
    sql`select id, base_currency, time_zone, settings -> 'agingEdges' as edges from workspaces where id = ${workspaceId}`,
  );
  if (!row) return undefined;
  const edges = typeof row.edges === "string" ? JSON.parse(row.edges) : row.edges;
  return {
    id: row.id,
    baseCurrency: row.base_currency.trim(),
    timeZone: row.time_zone,
    agingEdges: Array.isArray(edges) ? (edges as number[]) : undefined,
  };
}

/** Clients or projects whose name, id or code contains the text (external selects), at most `limit`. */
export async function searchFilterChoices(
  db: Db,
  workspaceId: string,
  kind: "client" | "project",
  text: string,
  limit: number,
): Promise<FilterChoice[]> {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  if (kind === "client") {
    return queryRows<FilterChoice>(
      db,
      sql`select id, name || ' (' || external_id || ')' as label from clients
        where workspace_id = ${workspaceId} and (name ilike ${pattern} or external_id ilike ${pattern})
        order by name limit ${limit}`,
    );
  }
  return queryRows<FilterChoice>(
    db,
    sql`select id, code || ' · ' || name as label from projects
      where workspace_id = ${workspaceId} and (name ilike ${pattern} or code ilike ${pattern})
      order by code limit ${limit}`,
  );
}
