// Bank credits still waiting for a person (suggested or unmatched), newest first, for the App Home.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { type BankLineRow, bankLines } from "../db/schema/index.ts";

export async function listWaitingBankLines(
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
