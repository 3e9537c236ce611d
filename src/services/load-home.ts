// What the App Home shows one user: milestones due on their projects and drafts waiting for them.
import { and, asc, eq, inArray, isNull, lte, or } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { clients, invoices, milestones, projects, workspaces } from "../db/schema/index.ts";
import type { Actor } from "../domain/permissions.ts";

export type HomeData = {
  locale: string;
  milestonesDue: {
    id: string;
    projectCode: string;
    name: string;
    amountMinor: number;
    currency: string;
    plannedDate: string | null;
    overdue: boolean;
  }[];
  draftsToIssue: {
    invoiceId: string;
    clientName: string;
    label: string;
    totalMinor: number;
    currency: string;
    status: "draft" | "held";
  }[];
};

const HORIZON_DAYS = 30;
const LIMIT = 50;

function localDate(now: Date, timeZone: string, plusDays = 0): string {
  const shifted = new Date(now.getTime() + plusDays * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(shifted);
}

export async function loadHome(
  deps: Pick<ServiceDeps, "db" | "now">,
  input: { workspaceId: string; actor: Actor },
): Promise<HomeData> {
  const { db } = deps;
  const [workspace] = await db
    .select({ timeZone: workspaces.timeZone, locale: workspaces.locale })
    .from(workspaces)
    .where(eq(workspaces.id, input.workspaceId));
  const timeZone = workspace?.timeZone ?? "UTC";
  const today = localDate(deps.now(), timeZone);
  const horizon = localDate(deps.now(), timeZone, HORIZON_DAYS);
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

  return {
    locale: workspace?.locale ?? "en",
    milestonesDue: milestonesDue.map((m) => ({
      ...m,
      overdue: m.plannedDate !== null && m.plannedDate < today,
    })),
    draftsToIssue: draftsToIssue.map((d) => ({
      ...d,
      label: d.label ?? "invoice",
      status: d.status === "held" ? "held" : "draft",
    })),
  };
}
