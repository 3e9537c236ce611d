// The demo's SQL: whether a workspace may take the demo, and the demo company's rows written into it.
import { and, count, eq, inArray, like } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import {
  clients,
  deliveries,
  exchangeRates,
  invoiceLines,
  invoices,
  members,
  milestones,
  payments,
  projects,
  workspaces,
} from "../db/schema/index.ts";
import { present } from "../domain/errors.ts";

type Insert<T extends { $inferInsert: unknown }> = T["$inferInsert"];
export type ExchangeRateInsert = Insert<typeof exchangeRates>;
export type { Role, SellerIdentity } from "../db/schema/index.ts";

export async function hasClientsOrInvoices(db: Db, workspaceId: string): Promise<boolean> {
  const [c] = await db.select({ n: count() }).from(clients).where(eq(clients.workspaceId, workspaceId));
  const [i] = await db.select({ n: count() }).from(invoices).where(eq(invoices.workspaceId, workspaceId));
  return (c?.n ?? 0) > 0 || (i?.n ?? 0) > 0;
}

export async function hasClientWithExternalIdPrefix(db: Db, workspaceId: string, prefix: string) {
  const [found] = await db
    .select({ id: clients.id })
    .from(clients)
    .where(and(eq(clients.workspaceId, workspaceId), like(clients.externalId, `${prefix}%`)))
    .limit(1);
  return found !== undefined;
}

export async function findTakenProjectCodes(db: Db, workspaceId: string, codes: string[]): Promise<string[]> {
  const taken = await db
    .select({ code: projects.code })
    .from(projects)
    .where(and(eq(projects.workspaceId, workspaceId), inArray(projects.code, codes)));
  return taken.map((t) => t.code);
}

export async function setWorkspaceIdentity(
  db: Db,
  workspaceId: string,
  set: Pick<Insert<typeof workspaces>, "seller" | "timeZone" | "baseCurrency" | "locale">,
): Promise<void> {
  await db.update(workspaces).set(set).where(eq(workspaces.id, workspaceId));
}

/** The member with this e-mail: added unless the workspace has them already. */
export async function ensureMemberByEmail(
  db: Db,
  member: Insert<typeof members> & { email: string },
): Promise<string> {
  await db.insert(members).values(member).onConflictDoNothing();
  const [row] = await db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.workspaceId, member.workspaceId), eq(members.email, member.email)));
  return present(row, "demo member").id;
}

export function insertClients(db: Db, rows: Insert<typeof clients>[]) {
  return db.insert(clients).values(rows).returning({ id: clients.id, externalId: clients.externalId });
}

export function insertProjects(db: Db, rows: Insert<typeof projects>[]) {
  return db.insert(projects).values(rows).returning({ id: projects.id, code: projects.code });
}

export async function insertMilestone(db: Db, row: Insert<typeof milestones>): Promise<void> {
  await db.insert(milestones).values(row);
}

export async function insertExchangeRates(db: Db, rows: ExchangeRateInsert[]): Promise<void> {
  await db.insert(exchangeRates).values(rows).onConflictDoNothing();
}

/** A draft with its one line, to be issued through invoicing's real path. */
export async function insertDraftWithLine(
  db: Db,
  draft: Insert<typeof invoices>,
  line: Omit<Insert<typeof invoiceLines>, "invoiceId" | "workspaceId">,
): Promise<string> {
  const [row] = await db.insert(invoices).values(draft).returning({ id: invoices.id });
  const invoiceId = present(row, "draft").id;
  await db.insert(invoiceLines).values({ ...line, workspaceId: draft.workspaceId, invoiceId });
  return invoiceId;
}

export async function skipDeliveries(db: Db, deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  await db.update(deliveries).set({ status: "skipped" }).where(inArray(deliveries.id, deliveryIds));
}

export async function updateInvoice(db: Db, invoiceId: string, set: Partial<Insert<typeof invoices>>) {
  await db.update(invoices).set(set).where(eq(invoices.id, invoiceId));
}

export async function insertPayment(db: Db, row: Insert<typeof payments>): Promise<string> {
  const [payment] = await db.insert(payments).values(row).returning({ id: payments.id });
  return present(payment, "payment").id;
}

export async function markMilestoneInvoiced(
  db: Db,
  milestone: { projectId: string; name: string; invoiceId: string },
): Promise<void> {
  await db
    .update(milestones)
    .set({ status: "invoiced", invoiceId: milestone.invoiceId })
    .where(and(eq(milestones.projectId, milestone.projectId), eq(milestones.name, milestone.name)));
}
