// What the App Home reads: planned milestones coming due, drafts waiting, a member's overdue invoices.
import { and, asc, eq, gt, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { clients, invoiceCollections, invoices, milestones, projects } from "../db/schema/index.ts";

/** Planned milestones of active projects due by `horizon` (or undated), of one PM's projects when given. */
export function listMilestonesDue(
  db: Db,
  input: { workspaceId: string; horizon: string; pmMemberId: string | null; limit: number },
) {
  return db
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
        input.pmMemberId ? eq(projects.pmMemberId, input.pmMemberId) : undefined,
        or(isNull(milestones.plannedDate), lte(milestones.plannedDate, input.horizon)),
      ),
    )
    .orderBy(asc(milestones.plannedDate), asc(projects.code))
    .limit(input.limit);
}

/** Drafts and held invoices, oldest first. */
export function listDraftsToIssue(db: Db, workspaceId: string, limit: number) {
  return db
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
    .where(and(eq(invoices.workspaceId, workspaceId), inArray(invoices.status, ["draft", "held"])))
    .orderBy(asc(invoices.createdAt))
    .limit(limit);
}

/** Open invoices past due that the member collects or whose project they manage, with the total count. */
export function listMemberOverdue(
  db: Db,
  input: { workspaceId: string; memberId: string; today: string; limit: number },
) {
  const { memberId, today } = input;
  const collector = sql<
    string | null
  >`coalesce(${invoiceCollections.collectorMemberId}, ${clients.collectorMemberId})`;
  return db
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
        eq(invoices.workspaceId, input.workspaceId),
        inArray(invoices.status, ["issued", "partially_paid"]),
        gt(invoices.openMinor, 0),
        lt(invoices.dueDate, today),
        or(sql`${collector} = ${memberId}`, eq(projects.pmMemberId, memberId)),
      ),
    )
    .orderBy(asc(invoices.dueDate), asc(invoices.number))
    .limit(input.limit);
}
