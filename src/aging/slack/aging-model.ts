// Between the report's buttons and its services: the request a button's state asks for, and the
// view models of what the services return. Pure.
import type { DebtorInvoiceChoice } from "../../collections/index.ts";
import { formatMoney, toDecimalString } from "../../domain/money.ts";
import type { Actor } from "../../domain/permissions.ts";
import { AGING_ACTIONS, type AgingState } from "../../slack/kit/ids.ts";
import type { AgingReportResult, AgingRequest } from "../build-aging-report.ts";
import type { AgingInvoicesPage } from "../list-aging-invoices.ts";
import type { ShownAgingReport } from "../show-aging-report.ts";
import { AGING_ALL, type AgingMessageModel, TOP_DEBTORS } from "./aging-report.ts";

/** The filters of a report, without its drill-down (bucket and page). */
function filtersOf(state: AgingState): AgingState {
  return { a: state.a, b: state.b, c: state.c, p: state.p, m: state.m, x: state.x, d: state.d };
}

function stateOf(result: AgingReportResult): AgingState {
  const { report, filters } = result;
  return {
    a: report.asOf,
    b: report.basis,
    ...(filters.clientId ? { c: filters.clientId } : {}),
    ...(filters.projectId ? { p: filters.projectId } : {}),
    ...(filters.collectorMemberId ? { m: filters.collectorMemberId } : {}),
    ...(filters.currency ? { x: filters.currency } : {}),
    ...(Object.keys(report.metrics).length > 0 ? { d: 1 as const } : {}),
  };
}

/** The actor, not the button, decides the scope: a PM's report stays on their projects. */
export function agingRequestOf(workspaceId: string, state: AgingState, actor: Actor): AgingRequest {
  return {
    workspaceId,
    actor,
    asOf: state.a,
    basis: state.b,
    clientId: state.c,
    projectId: state.p,
    collectorMemberId: state.m,
    currency: state.x,
    withMetrics: state.d === 1,
  };
}

/** The message shows the totals and at most TOP_DEBTORS debtors: the summary ranks them in SQL. */
export function summaryRequestOf(request: AgingRequest): AgingRequest & { topDebtors: number } {
  return { ...request, topDebtors: TOP_DEBTORS };
}

export function agingMessageModel({ result, collectors }: ShownAgingReport): AgingMessageModel {
  return {
    report: result.report,
    state: stateOf(result),
    labels: result.filters.labels,
    collectors: collectors.choices,
    collectorsTruncated: collectors.truncated,
    ownProjectsOnly: result.ownProjectsOnly,
    locale: result.locale,
  };
}

export function agingInvoicesModel(page: AgingInvoicesPage, state: AgingState) {
  return {
    state: { ...filtersOf(state), k: page.bucket, n: page.page },
    labels: {},
    asOf: page.asOf,
    basis: page.basis,
    bucketLabel: page.bucketLabel,
    page: page.page,
    pageSize: page.pageSize,
    total: page.total,
    invoices: page.invoices,
    ownProjectsOnly: page.ownProjectsOnly,
    locale: page.locale,
  };
}

const FILTER_KEYS: Record<string, "c" | "p" | "m" | "x"> = {
  [AGING_ACTIONS.filterClient]: "c",
  [AGING_ACTIONS.filterProject]: "p",
  [AGING_ACTIONS.filterCollector]: "m",
  [AGING_ACTIONS.filterCurrency]: "x",
};

/** The report's state once a filter menu's option is picked ("all" lifts that filter). */
export function filteredState(state: AgingState, actionId: string, selected: string): AgingState {
  const key = FILTER_KEYS[actionId];
  const next = filtersOf(state);
  if (!key) return next;
  if (selected === AGING_ALL) delete next[key];
  else next[key] = selected;
  return next;
}

export const FILTER_SEARCHES: Record<string, { kind: "client" | "project"; allLabel: string }> = {
  [AGING_ACTIONS.filterClient]: { kind: "client", allLabel: "All clients" },
  [AGING_ACTIONS.filterProject]: { kind: "project", allLabel: "All projects" },
};

export function clientPaymentModalModel(
  choice: Extract<DebtorInvoiceChoice, { kind: "clientPayment" }>,
  now: Date,
) {
  return {
    clientId: choice.clientId,
    clientName: choice.clientName,
    currency: choice.currency,
    invoices: choice.invoices,
    openText: formatMoney({ amountMinor: choice.openMinor, currency: choice.currency }, choice.locale),
    openDecimal: toDecimalString(choice.openMinor, choice.currency),
    today: now.toISOString().slice(0, 10),
  };
}
