// The SQL of bank statements: their lines stored once and settled, the statements shared in Slack
// claimed once, the payer IBANs learned.
import { and, eq, inArray, or, sql } from "drizzle-orm";
import { chunksOf, lookupInChunks, pgArray } from "../db/batches.ts";
import { type Db, queryRows } from "../db/client.ts";
import {
  type BankLineRow,
  bankFiles,
  bankLines,
  clientBankAccounts,
  workspaces,
} from "../db/schema/index.ts";

export type { BankLineRow, BankLineSuggestion } from "../db/schema/index.ts";
export type BankLineInsert = typeof bankLines.$inferInsert;
export type BankLineChange = Partial<BankLineRow>;
export type BankFileStatus = (typeof bankFiles.$inferSelect)["status"];

/** A line waits for a person while it is one of these. */
const WAITING = ["suggested", "unmatched"] as const;

export async function findBankLine(db: Db, workspaceId: string, id: string): Promise<BankLineRow | null> {
  const [line] = await db
    .select()
    .from(bankLines)
    .where(and(eq(bankLines.workspaceId, workspaceId), eq(bankLines.id, id)));
  return line ?? null;
}

/** The line with its workspace's language (its card is read in the collections channel). */
export async function findBankLineWithLocale(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<{ line: BankLineRow; locale: string } | null> {
  const [row] = await db
    .select({ line: bankLines, locale: workspaces.locale })
    .from(bankLines)
    .innerJoin(workspaces, eq(workspaces.id, bankLines.workspaceId))
    .where(and(eq(bankLines.workspaceId, workspaceId), eq(bankLines.id, id)));
  return row ?? null;
}

/** Changes a line still waiting for a person; false when someone settled it first. */
export async function changeWaitingBankLine(
  db: Db,
  workspaceId: string,
  id: string,
  change: BankLineChange,
): Promise<boolean> {
  const changed = await db
    .update(bankLines)
    .set(change)
    .where(
      and(
        eq(bankLines.workspaceId, workspaceId),
        eq(bankLines.id, id),
        inArray(bankLines.outcome, [...WAITING]),
      ),
    )
    .returning({ id: bankLines.id });
  return changed.length > 0;
}

export async function updateBankLine(db: Db, id: string, change: BankLineChange): Promise<void> {
  await db.update(bankLines).set(change).where(eq(bankLines.id, id));
}

/** Stores the lines not stored yet (by dedupe key) and returns every line of `keys`, new or old. */
export async function storeBankLines(
  db: Db,
  workspaceId: string,
  values: BankLineInsert[],
  keys: string[],
): Promise<Map<string, BankLineRow>> {
  // A thousand lines a statement: a long statement stays far below PostgreSQL's 65,535 parameters.
  return db.transaction(async (tx) => {
    for (const slice of chunksOf(values)) await tx.insert(bankLines).values(slice).onConflictDoNothing();
    const stored = await lookupInChunks(keys, (slice) =>
      tx
        .select()
        .from(bankLines)
        .where(and(eq(bankLines.workspaceId, workspaceId), inArray(bankLines.dedupeKey, slice))),
    );
    return new Map(stored.map((row) => [row.dedupeKey, row]));
  });
}

/** Settles a line still pending; null when an import running beside this one settled it first. */
export async function settlePendingBankLine(
  db: Db,
  id: string,
  change: BankLineChange,
): Promise<BankLineRow | null> {
  const [updated] = await db
    .update(bankLines)
    .set(change)
    .where(and(eq(bankLines.id, id), eq(bankLines.outcome, "pending")))
    .returning();
  return updated ?? null;
}

/** The clients the invoices belong to (one, when the payer is theirs alone). */
export async function findClientsOfInvoices(db: Db, workspaceId: string, invoiceIds: string[]) {
  const rows = await queryRows<{ client_id: string }>(
    db,
    sql`select distinct client_id from invoices
        where workspace_id = ${workspaceId} and id = any(${pgArray(invoiceIds)}::uuid[])`,
  );
  return rows.map((r) => r.client_id);
}

export async function rememberClientBankAccount(
  db: Db,
  account: { workspaceId: string; clientId: string; iban: string; learnedFromLineId: string },
): Promise<void> {
  await db.insert(clientBankAccounts).values(account).onConflictDoNothing();
}

/** True for the one event that imports this file; a failed or abandoned attempt may be made again. */
export async function claimBankFile(
  db: Db,
  file: { workspaceId: string; slackFileId: string; channelId: string; sharedBy: string },
  lease: string,
): Promise<boolean> {
  const claimed = await db
    .insert(bankFiles)
    .values(file)
    .onConflictDoUpdate({
      target: [bankFiles.workspaceId, bankFiles.slackFileId],
      set: { status: "importing", channelId: file.channelId, updatedAt: sql`now()` },
      // A failed attempt, or one whose process died mid-import (its lease ran out), may be made again:
      // lines are stored once and payments claimed by their bank reference, so nothing is recorded twice.
      setWhere: or(
        eq(bankFiles.status, "failed"),
        and(eq(bankFiles.status, "importing"), sql`${bankFiles.updatedAt} < now() - ${lease}::interval`),
      ),
    })
    .returning({ id: bankFiles.id });
  return claimed.length > 0;
}

export async function settleBankFile(
  db: Db,
  workspaceId: string,
  slackFileId: string,
  change: { status: BankFileStatus; summary: Record<string, number> | null; updatedAt: Date },
): Promise<void> {
  await db
    .update(bankFiles)
    .set(change)
    .where(and(eq(bankFiles.workspaceId, workspaceId), eq(bankFiles.slackFileId, slackFileId)));
}
