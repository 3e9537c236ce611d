// One stored bank-statement line of a workspace, as its Slack card shows it.
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { type BankLineSuggestion, bankLines } from "../db/schema/index.ts";

export type { BankLineSuggestion };
export type BankLineRow = typeof bankLines.$inferSelect;

export async function loadBankLine(
  db: Db,
  workspaceId: string,
  bankLineId: string,
): Promise<BankLineRow | null> {
  const [line] = await db
    .select()
    .from(bankLines)
    .where(and(eq(bankLines.workspaceId, workspaceId), eq(bankLines.id, bankLineId)));
  return line ?? null;
}
