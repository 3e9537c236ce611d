// What an /aging request covers: the request validated, the workspace and its today, the as-of date,
// and the filters resolved to ids (free text to a client, project or collector; a PM's own projects,
// from who asks, never from the request). Shared by the report and its drill-down. Read-only.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { validateAgingEdges } from "../domain/aging.ts";
import { isCalendarDate, localToday, toDayNumber } from "../domain/calendar.ts";
import { DomainError } from "../domain/errors.ts";
import { bestMatches } from "../domain/match-project.ts";
import { type AgingScope, agingScopeOf } from "../domain/permissions.ts";
import {
  type AgingWorkspace,
  findClients,
  findMembers,
  findProjects,
  getAgingWorkspace,
  listNamedTargets,
  listProjectsManagedBy,
} from "./repo.ts";

const isoDate = z.string().refine(isCalendarDate, "expected a date as YYYY-MM-DD");

export const AgingRequest = z.object({
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
  /** The Slack reply's filter menu: that many collectors, read alongside the report (result.collectors). */
  collectorChoices: z.int().min(1).max(100).optional(),
});
/** What is asked; who asks (ctx.actor) decides what they may see: a PM only the projects they manage. */
export type AgingRequest = z.input<typeof AgingRequest>;

export type AgingFilterLabels = { client?: string; project?: string; collector?: string; currency?: string };

/** The filters applied, resolved to ids, with labels to show. */
export type AgingScopeFilters = {
  clientId?: string;
  projectId?: string;
  /** The actor's own projects (a PM's scope); never taken from the request. */
  projectIds?: readonly string[];
  collectorMemberId?: string;
  currency?: string;
  labels: AgingFilterLabels;
};

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

async function loadAgingWorkspace(ctx: Ctx): Promise<AgingWorkspace> {
  const workspaceId = ctx.workspaceId;
  const workspace = await getAgingWorkspace(ctx.db, workspaceId);
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
  filters: AgingScopeFilters;
};

/** Validation, workspace, as-of date and filter resolution shared by the report and the drill-down. */
export async function resolveAgingScope(
  ctx: Ctx,
  input: AgingRequest,
): Promise<ResolvedAgingScope & { withMetrics: boolean; topDebtors?: number; collectorChoices?: number }> {
  // Permission first (viewAging): refused roles stop here, before any read; a PM gets their projects.
  const scope: AgingScope = agingScopeOf(ctx.actor);
  const request = parseRequest(input);
  const workspace = await loadAgingWorkspace(ctx);
  const today = localToday(ctx.now(), workspace.timeZone);
  const asOf = request.asOf ?? today;
  if (toDayNumber(asOf) > toDayNumber(today)) {
    throw new DomainError("aging.future", `as-of ${asOf} is after today ${today}`, {
      userMessage: `The as-of date ${asOf} is in the future: use today (${today}) or a past date.`,
      messageKey: "aging.error.future",
      messageValues: { asOf, today },
    });
  }
  const filters: AgingScopeFilters = {
    clientId: request.clientId,
    projectId: request.projectId,
    collectorMemberId: request.collectorMemberId,
    currency: request.currency,
    labels: request.currency ? { currency: request.currency } : {},
  };
  if (request.target) await resolveTarget(ctx, request.target, request.targetKind, filters);
  if (scope.kind === "ownProjects") {
    const own = await listProjectsManagedBy(ctx.db, workspace.id, scope.pmMemberId);
    filters.projectIds = own.map((p) => p.projectId);
    if (filters.projectId && !filters.projectIds.includes(filters.projectId)) throw notYours("project");
    if (filters.clientId && !own.some((p) => p.clientId === filters.clientId)) throw notYours("client");
  }
  await labelFilters(ctx, filters);
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
    collectorChoices: request.collectorChoices,
  };
}

async function resolveTarget(
  ctx: Ctx,
  raw: string,
  kind: "any" | "client" | "project" | "collector",
  filters: AgingScopeFilters,
): Promise<void> {
  const { db, workspaceId } = ctx;
  // Slack escapes a mention as <@U123|name>; a bare @name is looked up by name.
  const mention = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(raw);
  const text = mention?.[1] ?? raw.replace(/^@/, "");
  const wantsMember = kind === "collector" || mention !== null || raw.startsWith("@");
  /** The first match becomes the filter and its label; false when nothing matched. */
  const chosen = (
    found: readonly { id: string; label: string }[],
    id: "clientId" | "projectId" | "collectorMemberId",
    label: "client" | "project" | "collector",
  ) => {
    const [first] = found;
    if (first) {
      filters[id] = first.id;
      filters.labels[label] = first.label;
    }
    return first !== undefined;
  };
  if (!wantsMember && (kind === "any" || kind === "client")) {
    const found = await findClients(db, workspaceId, text);
    if (found.length > 1 && found[0]?.label.toLowerCase() === found[1]?.label.toLowerCase()) {
      throw ambiguous(
        raw,
        found.map((f) => f.label),
      );
    }
    if (chosen(found, "clientId", "client")) return;
  }
  if (!wantsMember && (kind === "any" || kind === "project")) {
    const found = await findProjects(db, workspaceId, text);
    if (chosen(found, "projectId", "project")) return;
  }
  if (wantsMember || kind === "any") {
    const found = await findMembers(db, workspaceId, text);
    if (found.length > 1)
      throw ambiguous(
        raw,
        found.map((f) => f.label),
      );
    if (chosen(found, "collectorMemberId", "collector")) return;
  }
  if (!wantsMember) {
    // Nothing exact: the start of a client's or project's name or code, any case, accents optional.
    const named = (await listNamedTargets(db, workspaceId)).filter((n) => kind === "any" || n.kind === kind);
    const found = bestMatches(text, named, (n) => [n.code, n.name]);
    if (found.length > 1)
      throw ambiguous(
        raw,
        found.slice(0, 5).map((f) => f.label),
      );
    const [only] = found;
    if (only) return void chosen([only], only.kind === "client" ? "clientId" : "projectId", only.kind);
  }
  const what = kind === "any" ? "client, project or collector" : kind;
  throw new DomainError("aging.target_not_found", `no ${what} matches "${raw}"`, {
    userMessage: `No ${what} matches "${raw}". Use a client's id or the start of its name, a project's code or name, or @person.`,
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
async function labelFilters(ctx: Ctx, filters: AgingScopeFilters) {
  const workspaceId = ctx.workspaceId;
  const lookups: [string | undefined, keyof AgingFilterLabels, typeof findClients][] = [
    [filters.clientId, "client", findClients],
    [filters.projectId, "project", findProjects],
    [filters.collectorMemberId, "collector", findMembers],
  ];
  for (const [id, key, find] of lookups) {
    if (!id || filters.labels[key]) continue;
    const [found] = await find(ctx.db, workspaceId, id);
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
