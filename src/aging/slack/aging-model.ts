// Between Slack and the report's services: the request that `/aging`'s text or a button's state
// asks for, and the view models of what the services return. Pure.
import type { DebtorInvoiceChoice } from "../../collections/index.ts";
import { isCalendarDate } from "../../domain/calendar.ts";
import { formatMoney, toDecimalString } from "../../domain/money.ts";
import type { Actor } from "../../domain/permissions.ts";
import { DEFAULT_LOCALE, isLocale, type Locale, t } from "../../i18n/index.ts";
import { AGING_ACTIONS, type AgingState } from "../../slack/kit/ids.ts";
import type { AgingReportResult, AgingRequest } from "../build-aging-report.ts";
import type { AgingInvoicesPage } from "../list-aging-invoices.ts";
import type { ShownAgingReport } from "../show-aging-report.ts";
import { AGING_ALL, type AgingInvoicesModel, type AgingMessageModel, TOP_DEBTORS } from "./aging-report.ts";

export type AgingArgs =
  | { ok: true; target?: string; asOf?: string; basis: "due" | "issue" }
  | { ok: false; problem: string };

/**
 * The as-of keyword, English or the reader's (`/aging al 2026-06-30`, `/aging au 2026-06-30`). The
 * Spanish and French words count only before a date: `/aging au bon marché` is a client.
 */
function asOfKeyword(token: string, next: string | undefined): "english" | "synonym" | undefined {
  if (token === "as-of" || token === "asof") return "english";
  return (token === "al" || token === "au") && /^\d{4}-/.test(next ?? "") ? "synonym" : undefined;
}

/** Reads `/aging [client|project|@collector] [as-of|al|au YYYY-MM-DD] [by issue|due]`; never throws. */
export function parseAgingArgs(text: string | undefined, locale: Locale): AgingArgs {
  const tokens = (text ?? "").trim().split(/\s+/).filter(Boolean);
  let asOf: string | undefined;
  let basis: "due" | "issue" = "due";
  const rest: string[] = [];
  const problem = (...args: Parameters<typeof t>) => ({ ok: false as const, problem: t(...args) });
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    const lower = token.toLowerCase();
    const keyword = lower.startsWith("as-of=") ? "english" : asOfKeyword(lower, tokens[i + 1]);
    if (keyword) {
      const value = lower.startsWith("as-of=") ? token.slice(6) : tokens[++i];
      const example = keyword === "english" ? "as-of" : lower;
      if (!value) return problem(locale, "aging.args.as_of_needs_date", { keyword: example });
      if (!isCalendarDate(value)) {
        return problem(locale, "aging.args.not_a_date", { text: value.slice(0, 40), keyword: example });
      }
      asOf = value;
    } else if (lower === "by") {
      const value = tokens[++i]?.toLowerCase();
      if (value !== "issue" && value !== "due") {
        return value
          ? problem(locale, "aging.args.by_not", { given: value.slice(0, 40) })
          : problem(locale, "aging.args.by");
      }
      basis = value;
    } else {
      rest.push(token);
    }
  }
  const target = rest.join(" ");
  const mentions = target.match(/<@[^>]+>/g) ?? [];
  if (mentions.length > 1 || (mentions.length === 1 && target !== mentions[0])) {
    return problem(locale, "aging.args.one_target");
  }
  if (target.length > 200) return problem(locale, "aging.args.too_long");
  return { ok: true, basis, ...(target ? { target } : {}), ...(asOf ? { asOf } : {}) };
}

/** The workspace's language as the services give it (the language of channel posts). */
const workspaceLocaleOf = (locale: string): Locale => (isLocale(locale) ? locale : DEFAULT_LOCALE);

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

/** The report as its reader sees it; without `reader`, in the workspace's language (a shared copy). */
export function agingMessageModel(
  { result, collectors }: ShownAgingReport,
  reader?: Locale,
): AgingMessageModel {
  return {
    report: result.report,
    state: stateOf(result),
    labels: result.filters.labels,
    collectors: collectors.choices,
    collectorsTruncated: collectors.truncated,
    ownProjectsOnly: result.ownProjectsOnly,
    locale: reader ?? workspaceLocaleOf(result.locale),
  };
}

export function agingInvoicesModel(
  page: AgingInvoicesPage,
  state: AgingState,
  locale: Locale,
): AgingInvoicesModel {
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
    locale,
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

export const FILTER_SEARCHES: Record<string, { kind: "client" | "project" }> = {
  [AGING_ACTIONS.filterClient]: { kind: "client" },
  [AGING_ACTIONS.filterProject]: { kind: "project" },
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
