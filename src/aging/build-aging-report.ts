// The aged-receivables report: validates the request, runs the one SQL aggregate (plus the metric
// inputs, the closing rates and, for the Slack reply's filter menu, the collectors) and hands the rows
// to the domain. Read-only.
import type { Ctx } from "../context.ts";
import {
  type AgingReport,
  type AgingSummary,
  buildAgingSummaryReport,
  buildAgingReport as buildReportModel,
  type MetricsInput,
  type StoredRate,
} from "../domain/aging.ts";
import { toDayNumber } from "../domain/calendar.ts";
import { listClosingRates } from "../rates/index.ts";
import { summarizeAgingBalances } from "./balances-repo.ts";
import type { AgingFilterChoicesResult } from "./list-aging-filter-choices.ts";
import {
  aggregateAging,
  listAgingFilterChoices,
  listCreditSales,
  sumCollections,
  summarizeAging,
} from "./repo.ts";
import {
  type AgingFilterLabels,
  type AgingRequest,
  type AgingScopeFilters,
  resolveAgingScope,
} from "./resolve-aging-scope.ts";

export type { AgingFilterLabels, AgingRequest };

export type AgingReportResult = {
  report: AgingReport;
  today: string;
  /** The workspace's locale, for the amounts of the reply. */
  locale: string;
  /** True when the report is cut to the projects the actor manages (a PM). */
  ownProjectsOnly: boolean;
  /** The filters applied, resolved to ids, with labels to show. */
  filters: AgingScopeFilters;
  /** The collectors the filter menu lists, when the request asks for them (collectorChoices). */
  collectors?: AgingFilterChoicesResult;
};

const METRICS_PERIOD_DAYS = 90;
const COUNTBACK_MONTHS = 6;

/** Permission: viewAging, checked first by resolveAgingScope (a PM sees only the projects they manage). */
export async function buildAgingReport(ctx: Ctx, input: AgingRequest = {}): Promise<AgingReportResult> {
  const scope = await resolveAgingScope(ctx, input);
  const { workspace, asOf, filters } = scope;
  const query = {
    workspaceId: workspace.id,
    asOf,
    basis: scope.basis,
    edges: scope.edges,
    filters: {
      clientId: filters.clientId,
      projectId: filters.projectId,
      projectIds: filters.projectIds,
      collectorMemberId: filters.collectorMemberId,
      currency: filters.currency,
    },
  };
  const monthStart = `${asOf.slice(0, 7)}-01`;
  const fromMonth = monthsBefore(monthStart, COUNTBACK_MONTHS - 1);
  // The reply and the App Home need only the totals and the top debtors. Without a client, project
  // (a PM's included) or collector filter they come from the open balances the invoice triggers
  // keep (~17,000 summary rows on the bench and, as of today once rolled forward, no invoice); with
  // one, as of today, from the open invoices of that scope; in the past with such a filter, from
  // the full aggregate cut to the top.
  const top = scope.topDebtors;
  const fromBalances =
    top !== undefined &&
    !filters.clientId &&
    !filters.projectId &&
    !filters.projectIds &&
    !filters.collectorMemberId;
  const fromOpenInvoices = top !== undefined && !fromBalances && asOf === scope.today;
  // Every report ranks its debtors in SQL at the closing rates, so it needs them first (one tiny indexed read).
  const ratesRead = listClosingRates(ctx.db, workspace.id, workspace.baseCurrency, asOf);
  const summaryOf = async (rates: StoredRate[], top: number): Promise<AgingSummary> => {
    const ranking = { baseCurrency: workspace.baseCurrency, rates, top };
    return fromBalances
      ? summarizeAgingBalances(ctx.db, {
          ...query,
          ...ranking,
          today: scope.today,
          currency: filters.currency,
        })
      : summarizeAging(ctx.db, { ...query, ...ranking });
  };
  const [aggregate, rates, sales, collected, collectors] = await Promise.all([
    top !== undefined && (fromBalances || fromOpenInvoices)
      ? ratesRead.then((r) => summaryOf(r, top).then((summary) => ({ summary })))
      : ratesRead.then((r) =>
          aggregateAging(ctx.db, { ...query, baseCurrency: workspace.baseCurrency, rates: r }).then(
            (rows) => ({
              rows,
            }),
          ),
        ),
    ratesRead,
    scope.withMetrics
      ? listCreditSales(ctx.db, { ...query, fromMonth, periodDays: METRICS_PERIOD_DAYS })
      : [],
    scope.withMetrics ? sumCollections(ctx.db, { ...query, from: monthStart }) : new Map<string, number>(),
    scope.collectorChoices
      ? listAgingFilterChoices(ctx.db, workspace.id, scope.collectorChoices).then((choices) => ({
          choices: choices.collectors,
          truncated: choices.collectorsTruncated,
        }))
      : undefined,
  ]);
  const currenciesOpen =
    "rows" in aggregate
      ? new Set(aggregate.rows.map((r) => r.currency))
      : new Set(aggregate.summary.totals.map((t) => t.currency));

  const metricsInput: Record<string, MetricsInput> = {};
  for (const currency of scope.withMetrics ? currenciesOpen : []) {
    const months: MetricsInput["months"] = [];
    let monthFirst = monthStart;
    for (let i = 0; i < COUNTBACK_MONTHS; i++) {
      const nextFirst = monthsBefore(monthFirst, -1);
      // The month of asOf counts only its days up to asOf.
      const days =
        i === 0
          ? toDayNumber(asOf) - toDayNumber(monthFirst) + 1
          : toDayNumber(nextFirst) - toDayNumber(monthFirst);
      const row = sales.find((s) => s.currency === currency && s.month === monthFirst);
      months.push({ days, sales: row?.sales ?? 0 });
      monthFirst = monthsBefore(monthFirst, 1);
    }
    const ofCurrency = sales.filter((s) => s.currency === currency);
    const thisMonth = ofCurrency.find((s) => s.month === monthStart);
    metricsInput[currency] = {
      periodDays: METRICS_PERIOD_DAYS,
      periodSales: ofCurrency.reduce((sum, s) => sum + s.periodSales, 0),
      months,
      monthSales: thisMonth?.sales ?? 0,
      monthInterestBilled: thisMonth?.interestBilled ?? 0,
      monthCollected: collected.get(currency) ?? 0,
    };
  }

  const model = {
    asOf,
    basis: scope.basis,
    baseCurrency: workspace.baseCurrency,
    edges: scope.edges,
    rates,
    metricsInput,
  };
  const report =
    "rows" in aggregate
      ? topOnly(buildReportModel({ ...model, rows: aggregate.rows }), scope.topDebtors)
      : buildAgingSummaryReport({ ...model, summary: aggregate.summary });
  return {
    report,
    today: scope.today,
    locale: workspace.locale,
    ownProjectsOnly: scope.ownProjectsOnly,
    filters,
    ...(collectors ? { collectors } : {}),
  };
}

/** The report as the summary gives it: only the first `top` debtors, clientCount still counting all. */
function topOnly(report: AgingReport, top: number | undefined): AgingReport {
  return top === undefined ? report : { ...report, clients: report.clients.slice(0, top) };
}

/** First day of the month `count` months before (negative: after) the given first of a month. */
function monthsBefore(firstOfMonth: string, count: number): string {
  const year = Number(firstOfMonth.slice(0, 4));
  const month = Number(firstOfMonth.slice(5, 7)) - 1 - count;
  const date = new Date(Date.UTC(year, month, 1));
  return date.toISOString().slice(0, 10);
}
