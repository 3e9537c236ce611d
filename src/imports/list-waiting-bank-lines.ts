// Bank credits still waiting for a person (suggested or unmatched), newest first, for the App Home.
import type { Ctx } from "../context.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { type BankLineRow, findWaitingBankLines } from "./repo.ts";

export async function listWaitingBankLines(
  ctx: Ctx,
  input: { limit: number },
): Promise<{ lines: BankLineRow[]; total: number }> {
  assertAllowed(ctx.actor, { action: "collect" });
  return findWaitingBankLines(ctx.db, ctx.workspaceId, input.limit);
}
