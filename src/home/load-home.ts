// What the App Home shows one user: milestones due on their projects, drafts waiting for them,
// timesheets to approve, overdue invoices they collect or manage, and the aged balance.
import { and, asc, eq, gt, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import { buildAgingReport } from "../aging/index.ts";
import type { ServiceDeps } from "../context.ts";
import {
  clients,
  invoiceCollections,
  invoices,
  milestones,
  projects,
  workspaces,
} from "../db/schema/index.ts";
import { FAILURE_DAYS, loadDeliveryBacklog } from "../delivery/index.ts";
import type { AgingReport } from "../domain/aging.ts";
import { addDays } from "../domain/calendar.ts";
import { localToday } from "../domain/overdue.ts";
import { agingScopeOf, canDo, type SlackActor } from "../domain/permissions.ts";
import { type VerifactuWarning, verifactuWarningsOf } from "../domain/verifactu-backlog.ts";
import { isLocale, type Locale, t } from "../i18n/index.ts";
import { buildWaitingCreditsSection, listWaitingBankLines } from "../imports/index.ts";
import { loadVerifactuBacklog } from "../invoicing/index.ts";
import type { Block } from "../slack/kit/blocks.ts";
import { listPendingApprovals, type TimesheetSummary } from "../timesheets/index.ts";
import type { HomeCollectionItem, HomeDeliveries, HomeModel, HomeNote } from "./slack/home-view.ts";

export type HomeData = {
  /** The viewer's language (the workspace's when the caller does not know it). */
  locale: Locale;
  milestonesDue: HomeModel["milestonesDue"];
  draftsToIssue: HomeModel["draftsToIssue"];
  /** Submitted timesheets this user decides; null when they approve nothing (no section). */
  pendingApprovals: TimesheetSummary[] | null;
  /** Overdue invoices they collect or whose project they manage; null for other roles. */
  collections: { items: HomeCollectionItem[]; total: number } | null;
  /** The aged balance for collectors, billing and admins; null otherwise or when it failed. */
  aging: AgingReport | null;
  /** Admins: deliveries waiting, the oldest's age, recent failures with their reason. */
  deliveries?: HomeDeliveries | null;
  /** Admins: VERI*FACTU records not sent or to correct, certificate expiring (empty when all is well). */
  verifactuWarnings?: VerifactuWarning[];
  /** Collectors and admins: bank credits Cobro could not settle alone. */
  extraSections?: { title: string; blocks: Block[] }[];
};

const HORIZON_DAYS = 30;
const LIMIT = 50;
const APPROVALS_LIMIT = 15;
const COLLECTIONS_LIMIT = 20;
const BANK_CREDITS_LIMIT = 8;

export async function loadHome(
  deps: ServiceDeps,
  input: { workspaceId: string; actor: SlackActor; locale?: Locale },
): Promise<HomeData> {
  const { db } = deps;
  const [workspace] = await db
    .select({ timeZone: workspaces.timeZone, locale: workspaces.locale })
    .from(workspaces)
    .where(eq(workspaces.id, input.workspaceId));
  const timeZone = workspace?.timeZone ?? "UTC";
  const locale = input.locale ?? (isLocale(workspace?.locale) ? workspace.locale : "en");
  const today = localToday(deps.now(), timeZone);
  const horizon = addDays(today, HORIZON_DAYS);
  const seesAll = input.actor.roles.includes("admin");
  const isPm = input.actor.roles.includes("pm") && input.actor.memberId;

  const milestonesDue =
    seesAll || isPm
      ? await db
          .select({
            id: milestones.id,
            projectCode: projects.code,
            name: milestones.name,
            amountMinor: milestones.amountMinor,
            currency: milestones.currency,
            plannedDate: milestones.plannedDate,
          })
          .from(milestones)
          .innerJoin(projects, eq(projects.id, milestones.projectId))
          .where(
            and(
              eq(milestones.workspaceId, input.workspaceId),
              eq(milestones.status, "planned"),
              eq(projects.active, true),
              isPm && !seesAll ? eq(projects.pmMemberId, input.actor.memberId as string) : undefined,
              or(isNull(milestones.plannedDate), lte(milestones.plannedDate, horizon)),
            ),
          )
          .orderBy(asc(milestones.plannedDate), asc(projects.code))
          .limit(LIMIT)
      : [];

  const draftsToIssue = input.actor.roles.includes("billing")
    ? await db
        .select({
          invoiceId: invoices.id,
          clientName: clients.name,
          label: projects.name,
          totalMinor: invoices.totalMinor,
          currency: invoices.currency,
          status: invoices.status,
        })
        .from(invoices)
        .innerJoin(clients, eq(clients.id, invoices.clientId))
        .leftJoin(projects, eq(projects.id, invoices.projectId))
        .where(and(eq(invoices.workspaceId, input.workspaceId), inArray(invoices.status, ["draft", "held"])))
        .orderBy(asc(invoices.createdAt))
        .limit(LIMIT)
    : [];

  const memberId = input.actor.memberId;
  const roles = input.actor.roles;
  const [pendingApprovals, collections, aging] = await Promise.all([
    memberId && (roles.includes("approver") || roles.includes("pm"))
      ? listPendingApprovals(db, input.workspaceId, memberId, APPROVALS_LIMIT)
      : null,
    memberId && (roles.includes("collector") || roles.includes("pm"))
      ? loadMyOverdue(db, input.workspaceId, memberId, today)
      : null,
    // The Home's aged balance is the whole book's; a PM has their overdue invoices in `collections`.
    canDo(input.actor, { action: "viewAging" }) && agingScopeOf(input.actor).kind === "all"
      ? buildAgingReport(deps, { workspaceId: input.workspaceId, actor: input.actor, withMetrics: false })
          .then((result) => result.report)
          .catch((error: unknown) => {
            // The Home still opens without the summary; /aging says what is wrong.
            deps.logger.warn({ err: error }, "aging summary for the App Home failed");
            return null;
          })
      : null,
  ]);

  const verifactu = seesAll
    ? verifactuWarningsOf(await loadVerifactuBacklog(deps, { workspaceId: input.workspaceId }), deps.now())
    : [];
  const deliveries = seesAll ? await loadDeliveries(db, input.workspaceId, deps.now()) : null;
  const waiting =
    roles.includes("collector") || seesAll
      ? await listWaitingBankLines(db, input.workspaceId, BANK_CREDITS_LIMIT)
      : null;
  const outcomes = new Map(
    waiting?.lines.map((l) => [
      l.id,
      t(locale, l.outcome === "suggested" ? "home.bank.suggested" : "home.bank.unmatched"),
    ]),
  );
  return {
    locale,
    verifactuWarnings: verifactu,
    extraSections: waiting
      ? [buildWaitingCreditsSection(waiting.lines, waiting.total, (id) => outcomes.get(id) ?? "", locale)]
      : [],
    deliveries,
    pendingApprovals,
    collections,
    aging,
    milestonesDue: milestonesDue.map((m) => ({
      ...m,
      overdue: m.plannedDate !== null && m.plannedDate < today,
    })),
    draftsToIssue: draftsToIssue.map((d) => ({
      ...d,
      label: d.label,
      status: d.status === "held" ? "held" : "draft",
    })),
  };
}

async function loadDeliveries(
  db: ServiceDeps["db"],
  workspaceId: string,
  now: Date,
): Promise<HomeDeliveries> {
  const backlog = await loadDeliveryBacklog(db, { workspaceId });
  const since = backlog.oldestWaitingSince?.getTime() ?? now.getTime();
  return {
    waiting: backlog.waiting,
    oldestMinutes: Math.max(0, Math.floor((now.getTime() - since) / 60_000)),
    unknown: backlog.unknown,
    failures: backlog.failures.map(({ reason, count }) => ({ reason, count })),
    failureDays: FAILURE_DAYS,
  };
}

async function loadMyOverdue(
  db: ServiceDeps["db"],
  workspaceId: string,
  memberId: string,
  today: string,
): Promise<{ items: HomeCollectionItem[]; total: number }> {
  const collector = sql<
    string | null
  >`coalesce(${invoiceCollections.collectorMemberId}, ${clients.collectorMemberId})`;
  const rows = await db
    .select({
      invoiceId: invoices.id,
      number: invoices.number,
      clientName: clients.name,
      projectName: projects.name,
      openMinor: invoices.openMinor,
      currency: invoices.currency,
      dueDate: invoices.dueDate,
      daysPastDue: sql<number>`(${today}::date - ${invoices.dueDate})`,
      asCollector: sql<boolean>`coalesce(${collector} = ${memberId}, false)`,
      disputed: sql<boolean>`${invoiceCollections.disputedAt} is not null`,
      pausedUntil: invoiceCollections.pausedUntil,
      promisedOn: invoiceCollections.promisedOn,
      total: sql<number>`count(*) over ()`,
    })
    .from(invoices)
    .innerJoin(clients, eq(clients.id, invoices.clientId))
    .leftJoin(projects, eq(projects.id, invoices.projectId))
    .leftJoin(invoiceCollections, eq(invoiceCollections.invoiceId, invoices.id))
    .where(
      and(
        eq(invoices.workspaceId, workspaceId),
        inArray(invoices.status, ["issued", "partially_paid"]),
        gt(invoices.openMinor, 0),
        lt(invoices.dueDate, today),
        or(sql`${collector} = ${memberId}`, eq(projects.pmMemberId, memberId)),
      ),
    )
    .orderBy(asc(invoices.dueDate), asc(invoices.number))
    .limit(COLLECTIONS_LIMIT);
  const text = (v: unknown) => (v == null ? null : String(v));
  return {
    total: Number(rows[0]?.total ?? 0),
    items: rows.map((r) => {
      const paused = text(r.pausedUntil);
      const promised = text(r.promisedOn);
      const note: HomeNote | null = r.disputed
        ? { kind: "disputed" }
        : paused && paused >= today
          ? { kind: "paused", until: paused }
          : promised && promised >= today
            ? { kind: "promised", on: promised }
            : null;
      return {
        invoiceId: r.invoiceId,
        number: r.number ?? "draft",
        clientName: r.clientName,
        projectName: r.projectName,
        openMinor: Number(r.openMinor),
        currency: r.currency.trim(),
        dueDate: String(r.dueDate),
        daysPastDue: Number(r.daysPastDue),
        asCollector: Boolean(r.asCollector),
        note,
      };
    }),
  };
}
