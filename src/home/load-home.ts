// What the App Home shows one user: milestones due on their projects, drafts waiting for them,
// timesheets to approve, overdue invoices they collect or manage, and the aged balance.
import { buildAgingReport } from "../aging/index.ts";
import type { Ctx, ServiceDeps } from "../context.ts";
import { FAILURE_DAYS, loadDeliveryBacklog, slackFailureCode } from "../delivery/index.ts";
import type { AgingReport } from "../domain/aging.ts";
import { addDays } from "../domain/calendar.ts";
import { localToday } from "../domain/overdue.ts";
import { agingScopeOf, canDo, memberIdOf, rolesOf } from "../domain/permissions.ts";
import { type VerifactuWarning, verifactuWarningsOf } from "../domain/verifactu-backlog.ts";
import { isLocale, type Locale, t } from "../i18n/index.ts";
import { buildWaitingCreditsSection, listWaitingBankLines } from "../imports/index.ts";
import { loadVerifactuBacklog } from "../invoicing/index.ts";
import type { Block } from "../slack/kit/blocks.ts";
import { listPendingApprovals, type TimesheetSummary } from "../timesheets/index.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import { listDraftsToIssue, listMemberOverdue, listMilestonesDue } from "./repo.ts";
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

/** Anyone in the workspace may open their Home: each section shows only what their roles may see. */
export async function loadHome(ctx: Ctx, input: { locale?: Locale }): Promise<HomeData> {
  const { db } = ctx;
  const workspace = await findWorkspaceById(db, ctx.workspaceId);
  const timeZone = workspace?.timeZone ?? "UTC";
  const locale = input.locale ?? (isLocale(workspace?.locale) ? workspace.locale : "en");
  const today = localToday(ctx.now(), timeZone);
  const memberId = memberIdOf(ctx.actor);
  const roles = rolesOf(ctx.actor);
  const seesAll = roles.includes("admin");
  const isPm = roles.includes("pm") && memberId !== null;

  const milestonesDue =
    seesAll || isPm
      ? await listMilestonesDue(db, {
          workspaceId: ctx.workspaceId,
          horizon: addDays(today, HORIZON_DAYS),
          pmMemberId: isPm && !seesAll ? memberId : null,
          limit: LIMIT,
        })
      : [];
  const draftsToIssue = roles.includes("billing") ? await listDraftsToIssue(db, ctx.workspaceId, LIMIT) : [];

  const [pendingApprovals, collections, aging] = await Promise.all([
    memberId && (roles.includes("approver") || roles.includes("pm"))
      ? listPendingApprovals(ctx, { limit: APPROVALS_LIMIT })
      : null,
    memberId && (roles.includes("collector") || roles.includes("pm"))
      ? loadMyOverdue(db, { workspaceId: ctx.workspaceId, memberId, today, limit: COLLECTIONS_LIMIT })
      : null,
    // The Home's aged balance is the whole book's; a PM has their overdue invoices in `collections`.
    canDo(ctx.actor, { action: "viewAging" }) && agingScopeOf(ctx.actor).kind === "all"
      ? buildAgingReport(ctx, { withMetrics: false })
          .then((result) => result.report)
          .catch((error: unknown) => {
            // The Home still opens without the summary; /aging says what is wrong.
            ctx.logger.warn({ err: error }, "aging summary for the App Home failed");
            return null;
          })
      : null,
  ]);

  const verifactu = seesAll
    ? verifactuWarningsOf(await loadVerifactuBacklog(ctx.db, ctx.workspaceId), ctx.now())
    : [];
  const deliveries = seesAll ? await loadDeliveries(db, ctx.workspaceId, ctx.now()) : null;
  const waiting =
    roles.includes("collector") || seesAll
      ? await listWaitingBankLines(ctx, { limit: BANK_CREDITS_LIMIT })
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
    failures: backlog.failures.map(({ reason, count }) => ({
      reason,
      count,
      slackError: slackFailureCode(reason),
    })),
    failureDays: FAILURE_DAYS,
  };
}

async function loadMyOverdue(
  db: ServiceDeps["db"],
  input: Parameters<typeof listMemberOverdue>[1],
): Promise<{ items: HomeCollectionItem[]; total: number }> {
  const { today } = input;
  const rows = await listMemberOverdue(db, input);
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
