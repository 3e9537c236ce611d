// "Not ours": a credit that pays no invoice of ours (a refund, a loan, a mistake) leaves the list.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { bankReason } from "../domain/bank-matching.ts";
import { parseInput } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { changeWaitingBankLine } from "./bank-lines-repo.ts";

export const DismissBankLineInput = z.object({ bankLineId: z.uuid() });

export async function dismissBankLine(
  ctx: Ctx,
  rawInput: z.input<typeof DismissBankLineInput>,
): Promise<{ alreadyDone: boolean }> {
  assertAllowed(ctx.actor, { action: "collect" });
  const input = parseInput(DismissBankLineInput, rawInput);
  const actor = auditActorOf(ctx.actor);
  const dismissed = await changeWaitingBankLine(ctx.db, ctx.workspaceId, input.bankLineId, {
    outcome: "dismissed",
    reason: bankReason("dismissed", { by: actor }),
    settledBy: actor,
    updatedAt: ctx.now(),
  });
  return { alreadyDone: !dismissed };
}
