// The aged-receivables report: validates the request, runs the one SQL aggregate (plus the metric
// inputs and closing rates) and hands the rows to the domain. Read-only.
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import {
  type AgingReport,
  type AgingSummary,
  buildAgingSummaryReport,
  buildAgingReport as buildReportModel,
  type MetricsInput,
  type StoredRate,
  validateAgingEdges,
} from "../domain/aging.ts";
import { isCalendarDate, toDayNumber } from "../domain/calendar.ts";
import { DomainError } from "../domain/errors.ts";
import { localToday } from "../domain/overdue.ts";
import { type Actor, type AgingScope, agingScopeOf } from "../domain/permissions.ts";
import { listClosingRates } from "../rates/index.ts";
import { summarizeAgingBalances } from "./balances-repo.ts";
import {
  type AgingWorkspace,
  aggregateAging,
  findClients,
  findMembers,
  findProjects,
  getAgingWorkspace,
  listCreditSales,
  listProjectsManagedBy,
  sumCollections,
  summarizeAging,
} from "./repo.ts";

const isoDate = z.string().refine(isCalendarDate, "expected a date as YYYY-MM-DD");

export const AgingRequest = z.object({
  workspaceId: z.uuid(),
  /** Defaults to today in the workspace's time zone. */
  asOf: isoDate.optional(),
  basis: z.enum(["due", "issue"]).default("due"),
  clientId: z.uuid().optional(),
  projectId: z.uuid().optional(),
  collectorMemberId: z.uuid().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, "expected a currency code such as EUR")
    .optional(),
  /** Free text from `/aging <text>` or `--client`: a client, project or collector, resolved here. */
  target: z.string().trim().min(1).max(200).optional(),
  targetKind: z.enum(["any", "client", "project", "collector"]).default("any"),
  /** DSO, ADD and CEI read six months of sales: costly on big books, so the Slack reply asks for them. */
  withMetrics: z.boolean().default(true),
  /**
   * The Slack reply and the App Home show the totals and the first debtors only: with this set,
   * SQL totals and ranks, and report.clients holds just that many (report.clientCount says how
   * many balances there are). Unset (CLI, CSV, JSON): every client balance.
   */
  topDebtors: z.int().min(1).max(100).optional(),
});
/**
 * With `actor` (Slack), the report is what that member may see: a PM gets only the projects they
 * manage, whatever the filters ask. Without (the CLI), the operator sees the whole book.
 */
export type AgingRequest = z.input<typeof AgingRequest> & { actor?: Actor };

export type AgingFilterLabels = { client?: string; project?: string; collector?: string; currency?: string };

export type AgingReportResult = {
  report: AgingReport;
  today: string;
  /** The workspace's locale, for the amounts of the reply. */
  locale: string;
  /** True when the report is cut to the projects the actor manages (a PM). */
  ownProjectsOnly: boolean;
  /** The filters applied, resolved to ids, with labels to show. */
  filters: {
    clientId?: string;
    projectId?: string;
    /** The actor's own projects (a PM's scope); never taken from the request. */
    projectIds?: readonly string[];
    collectorMemberId?: string;
    currency?: string;
    labels: AgingFilterLabels;
  };
};

/** "Today" in the workspace's time zone, as YYYY-MM-DD. */
const METRICS_PERIOD_DAYS = 90;
const COUNTBACK_MONTHS = 6;

function parseRequest(input: AgingRequest) {
  const parsed = AgingRequest.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") ?? "input";
    throw new DomainError("aging.input", `invalid aging request: ${parsed.error.message}`, {
      userMessage: `Cannot build the aging report: ${field}: ${issue?.message ?? "invalid"}.`,
      field,
    });
  }
  return parsed.data;
}

export async function loadAgingWorkspace(deps: ServiceDeps, workspaceId: string): Promise<AgingWorkspace> {
  const workspace = await getAgingWorkspace(deps.db, workspaceId);
  if (!workspace) {
    throw new DomainError("workspace.not_found", `workspace ${workspaceId} not found`, {
      userMessage: "This workspace is not set up in Cobro yet.",
    });
  }
  return workspace;
}

export type ResolvedAgingScope = {
  workspace: AgingWorkspace;
  today: string;
  asOf: string;
  basis: "due" | "issue";
  edges: number[];
  ownProjectsOnly: boolean;
  filters: AgingReportResult["filters"];
};

/** Validation, workspace, as-of date and filter resolution shared by the report and the drill-down. */
export async function resolveAgingScope(
  deps: ServiceDeps,
  input: AgingRequest,
): Promise<ResolvedAgingScope & { withMetrics: boolean; topDebtors?: number }> {
  const request = parseRequest(input);
  // Refused roles stop here, before any read.
  const scope: AgingScope = input.actor ? agingScopeOf(input.actor) : { kind: "all" };
  const workspace = await loadAgingWorkspace(deps, request.workspaceId);
  const today = localToday(deps.now(), workspace.timeZone);
  const asOf = request.asOf ?? today;
  if (toDayNumber(asOf) > toDayNumber(today)) {
    throw new DomainError("aging.future", `as-of ${asOf} is after today ${today}`, {
      userMessage: `The as-of date ${asOf} is in the future: use today (${today}) or a past date.`,
      messageKey: "aging.error.future",
      messageValues: { asOf, today },
    });
  }
  const filters: AgingReportResult["filters"] = {
    clientId: request.clientId,
    projectId: request.projectId,
    collectorMemberId: request.collectorMemberId,
    currency: request.currency,
    labels: request.currency ? { currency: request.currency } : {},
  };
  if (request.target) await resolveTarget(deps, workspace.id, request.target, request.targetKind, filters);
  if (scope.kind === "ownProjects") {
    const own = await listProjectsManagedBy(deps.db, workspace.id, scope.pmMemberId);
    filters.projectIds = own.map((p) => p.projectId);
    if (filters.projectId && !filters.projectIds.includes(filters.projectId)) throw notYours("project");
    if (filters.clientId && !own.some((p) => p.clientId === filters.clientId)) throw notYours("client");
  }
  await labelFilters(deps, workspace.id, filters);
  return {
    workspace,
    today,
    asOf,
    basis: request.basis,
    edges: validateAgingEdges(workspace.agingEdges),
    ownProjectsOnly: scope.kind === "ownProjects",
    filters,
    withMetrics: request.withMetrics,
    topDebtors: request.topDebtors,
  };
}

export async function buildAgingReport(deps: ServiceDeps, input: AgingRequest): Promise<AgingReportResult> {
  const scope = await resolveAgingScope(deps, input);
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
  // The summaries rank in SQL at the closing rates, so they need them first (one tiny indexed read).
  const ratesRead = listClosingRates(deps.db, workspace.id, workspace.baseCurrency, asOf);
  const summaryOf = async (rates: StoredRate[], top: number): Promise<AgingSummary> => {
    const ranking = { baseCurrency: workspace.baseCurrency, rates, top };
    return fromBalances
      ? summarizeAgingBalances(deps.db, {
          ...query,
          ...ranking,
          today: scope.today,
          currency: filters.currency,
        })
      : summarizeAging(deps.db, { ...query, ...ranking });
  };
  const [aggregate, rates, sales, collected] = await Promise.all([
    top !== undefined && (fromBalances || fromOpenInvoices)
      ? ratesRead.then((r) => summaryOf(r, top).then((summary) => ({ summary })))
      : aggregateAging(deps.db, query).then((rows) => ({ rows })),
    ratesRead,
    scope.withMetrics
      ? listCreditSales(deps.db, { ...query, fromMonth, periodDays: METRICS_PERIOD_DAYS })
      : [],
    scope.withMetrics ? sumCollections(deps.db, { ...query, from: monthStart }) : new Map<string, number>(),
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

async function resolveTarget(
  deps: ServiceDeps,
  workspaceId: string,
  raw: string,
  kind: "any" | "client" | "project" | "collector",
  filters: AgingReportResult["filters"],
): Promise<void> {
  // Slack escapes a mention as <@U123|name>; a bare @name is looked up by name.
  const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(raw);
  const text = mention?.[1] ?? raw.replace(/^@/, "");
  const wantsMember = kind === "collector" || mention !== null || raw.startsWith("@");
  if (!wantsMember && (kind === "any" || kind === "client")) {
    const found = await findClients(deps.db, workspaceId, text);
    if (found.length > 1 && found[0]?.label.toLowerCase() === found[1]?.label.toLowerCase()) {
      throw ambiguous(
        raw,
        found.map((f) => f.label),
      );
    }
    if (found[0]) {
      filters.clientId = found[0].id;
      filters.labels.client = found[0].label;
      return;
    }
  }
  if (!wantsMember && (kind === "any" || kind === "project")) {
    const found = await findProjects(deps.db, workspaceId, text);
    if (found[0]) {
      filters.projectId = found[0].id;
      filters.labels.project = found[0].label;
      return;
    }
  }
  if (wantsMember || kind === "any") {
    const found = await findMembers(deps.db, workspaceId, text);
    if (found.length > 1)
      throw ambiguous(
        raw,
        found.map((f) => f.label),
      );
    if (found[0]) {
      filters.collectorMemberId = found[0].id;
      filters.labels.collector = found[0].label;
      return;
    }
  }
  const what = kind === "any" ? "client, project or collector" : kind;
  throw new DomainError("aging.target_not_found", `no ${what} matches "${raw}"`, {
    userMessage: `No ${what} matches "${raw}". Use a client's id or exact name, a project code, or @person.`,
    messageKey: "aging.error.target_not_found",
    messageValues: { kind, text: raw.slice(0, 80) },
    field: "target",
  });
}

function notYours(what: "project" | "client"): DomainError {
  const which =
    what === "project" ? "That project is not one of yours" : "That client has no project of yours";
  const menu = what === "project" ? "Project" : "Client";
  return new DomainError("aging.outside_own_projects", `a PM asked for a ${what} outside their projects`, {
    userMessage: `${which}: as a project manager you see the aged receivables of the projects you manage. Pick one of them in the ${menu} menu, or ask billing or a collector about the others.`,
    messageKey: "aging.error.outside_own_projects",
    messageValues: { what },
    field: "target",
  });
}

function ambiguous(raw: string, labels: string[]): DomainError {
  return new DomainError("aging.target_ambiguous", `"${raw}" matches several`, {
    userMessage: `"${raw}" matches several: ${labels.join(", ")}. Use the client's id or the project code.`,
    messageKey: "aging.error.target_ambiguous",
    messageValues: { text: raw.slice(0, 80), matches: labels.join(", ") },
    field: "target",
  });
}

/** Names for filters given as ids (buttons carry ids only); an id of another workspace is refused. */
async function labelFilters(deps: ServiceDeps, workspaceId: string, filters: AgingReportResult["filters"]) {
  const lookups: [string | undefined, keyof AgingFilterLabels, typeof findClients][] = [
    [filters.clientId, "client", findClients],
    [filters.projectId, "project", findProjects],
    [filters.collectorMemberId, "collector", findMembers],
  ];
  for (const [id, key, find] of lookups) {
    if (!id || filters.labels[key]) continue;
    const [found] = await find(deps.db, workspaceId, id);
    if (!found) {
      throw new DomainError("aging.filter_not_found", `${key} ${id} not in workspace ${workspaceId}`, {
        userMessage: `That ${key} no longer exists in this workspace: run /aging again.`,
        messageKey: "aging.error.filter_not_found",
        messageValues: { what: key },
      });
    }
    filters.labels[key] = found.label;
  }
}
