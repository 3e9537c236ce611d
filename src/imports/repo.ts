// The imports capability's SQL: bank statement lines and what they became.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { type BankLineRow, bankLines } from "../db/schema/index.ts";

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
