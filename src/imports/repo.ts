// The imports capability's SQL: what the CSV import reads, bank statement lines and what they became.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { lookupInChunks, pgArray } from "../db/batches.ts";
import type { Db } from "../db/client.ts";
import {
  type BankLineRow,
  bankLines,
  clients,
  importedInvoicePdfs,
  invoices,
  members,
  milestones,
  payments,
  projects,
} from "../db/schema/index.ts";
import { present } from "../domain/errors.ts";

export type { BankLineRow } from "../db/schema/index.ts";

/** Credits waiting for a person (suggested or unmatched), newest first, and how many there are. */
export async function findWaitingBankLines(
  db: Db,
  workspaceId: string,
  limit: number,
): Promise<{ lines: BankLineRow[]; total: number }> {
  const waiting = and(
    eq(bankLines.workspaceId, workspaceId),
    inArray(bankLines.outcome, ["suggested", "unmatched"]),
  );
  const lines = await db
    .select()
    .from(bankLines)
    .where(waiting)
    .orderBy(desc(bankLines.bookedOn), bankLines.id)
    .limit(limit);
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(bankLines).where(waiting);
  return { lines, total: Number(count?.n ?? 0) };
}

// --- the CSV import's lookups (one statement a batch of rows) -------------------------------------

export type ClientRow = typeof clients.$inferSelect;
export type ProjectRow = typeof projects.$inferSelect;
export type MemberRow = typeof members.$inferSelect;

export function findClientsByExternalId(db: Db, workspaceId: string, ids: string[]): Promise<ClientRow[]> {
  return lookupInChunks(ids, (slice) =>
    db
      .select()
      .from(clients)
      .where(and(eq(clients.workspaceId, workspaceId), inArray(clients.externalId, slice))),
  );
}

/** `keys` are project codes as projectCodeKey makes them (the lower-case code). */
export function findProjectsByCode(db: Db, workspaceId: string, keys: string[]): Promise<ProjectRow[]> {
  return lookupInChunks(keys, (slice) =>
    db
      .select()
      .from(projects)
      .where(and(eq(projects.workspaceId, workspaceId), inArray(sql`lower(${projects.code})`, slice))),
  );
}

export function findMembersByEmail(db: Db, workspaceId: string, emails: string[]) {
  return lookupInChunks(emails, (slice) =>
    db
      .select({ id: members.id, email: members.email, roles: members.roles })
      .from(members)
      .where(and(eq(members.workspaceId, workspaceId), inArray(members.email, slice))),
  );
}

export function listMembers(db: Db, workspaceId: string): Promise<MemberRow[]> {
  return db.select().from(members).where(eq(members.workspaceId, workspaceId));
}

/** "CODE (name)" of a client, for a refusal naming who owns a project. */
export async function findClientLabel(db: Db, workspaceId: string, clientId: string): Promise<string | null> {
  const [owner] = await db
    .select({ externalId: clients.externalId, name: clients.name })
    .from(clients)
    .where(and(eq(clients.workspaceId, workspaceId), eq(clients.id, clientId)));
  return owner ? `${owner.externalId} (${owner.name})` : null;
}

/** Milestones by (project id, lower-case name), the pairs given as "projectId\u0000name" keys. */
export function findMilestonesByKey(db: Db, workspaceId: string, keys: string[]) {
  return lookupInChunks(keys, (slice) => {
    const projectIds = slice.map((key) => present(key.split("\u0000")[0], "key.split()[0]"));
    const names = slice.map((key) => present(key.split("\u0000")[1], "key.split()[1]"));
    return db
      .select()
      .from(milestones)
      .where(
        and(
          eq(milestones.workspaceId, workspaceId),
          // The project ids alone let the (project_id, name) index narrow the search.
          sql`${milestones.projectId} = any(${pgArray([...new Set(projectIds)])}::uuid[])`,
          sql`(${milestones.projectId}, lower(${milestones.name})) in (select * from unnest(${pgArray(projectIds)}::uuid[], ${pgArray(names)}::text[]))`,
        ),
      );
  });
}

export function findInvoicesByNumber(db: Db, workspaceId: string, numbers: string[]) {
  return lookupInChunks(numbers, (slice) =>
    db
      .select()
      .from(invoices)
      .where(and(eq(invoices.workspaceId, workspaceId), inArray(invoices.number, slice))),
  );
}

/** What is already paid on each invoice, by invoice id. */
export async function sumPaymentsByInvoice(
  db: Db,
  workspaceId: string,
  invoiceIds: string[],
): Promise<Map<string, number>> {
  const rows = await lookupInChunks(invoiceIds, (slice) =>
    db
      .select({ invoiceId: payments.invoiceId, paid: sql<string>`sum(${payments.amountMinor})::text` })
      .from(payments)
      .where(and(eq(payments.workspaceId, workspaceId), inArray(payments.invoiceId, slice)))
      .groupBy(payments.invoiceId),
  );
  return new Map(rows.map((p) => [p.invoiceId, Number(p.paid)]));
}

export async function findPaymentDedupeKeys(
  db: Db,
  workspaceId: string,
  keys: string[],
): Promise<Set<string>> {
  const rows = await lookupInChunks(keys, (slice) =>
    db
      .select({ key: payments.dedupeKey })
      .from(payments)
      .where(and(eq(payments.workspaceId, workspaceId), inArray(payments.dedupeKey, slice))),
  );
  return new Set(rows.map((p) => p.key));
}

export async function findImportedPdfSha(db: Db, invoiceId: string): Promise<{ sha256: string } | null> {
  const [stored] = await db
    .select({ sha256: importedInvoicePdfs.sha256 })
    .from(importedInvoicePdfs)
    .where(eq(importedInvoicePdfs.invoiceId, invoiceId));
  return stored ?? null;
}

export async function upsertImportedPdf(
  db: Db,
  pdf: { invoiceId: string; workspaceId: string; filename: string; sha256: string; content: Buffer },
): Promise<void> {
  const { filename, sha256, content } = pdf;
  await db
    .insert(importedInvoicePdfs)
    .values(pdf)
    .onConflictDoUpdate({ target: importedInvoicePdfs.invoiceId, set: { filename, sha256, content } });
}
