// "Not ours": a credit that pays no invoice of ours (a refund, a loan, a mistake) leaves the list.
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { bankLines } from "../db/schema/index.ts";
import { parseInput } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";

export const DismissBankLineInput = z.object({ bankLineId: z.uuid() });

export async function dismissBankLine(
  ctx: Ctx,
  rawInput: z.input<typeof DismissBankLineInput>,
): Promise<{ alreadyDone: boolean }> {
  assertAllowed(ctx.actor, { action: "collect" });
  const input = parseInput(DismissBankLineInput, rawInput);
  const actor = auditActorOf(ctx.actor);
  const [dismissed] = await ctx.db
    .update(bankLines)
    .set({
      outcome: "dismissed",
      reason: `not ours, said ${actor}`,
      settledBy: actor,
      updatedAt: ctx.now(),
    })
    .where(
      and(
        eq(bankLines.workspaceId, ctx.workspaceId),
        eq(bankLines.id, input.bankLineId),
        inArray(bankLines.outcome, ["suggested", "unmatched"]),
      ),
    )
    .returning({ id: bankLines.id });
  return { alreadyDone: !dismissed };
}
