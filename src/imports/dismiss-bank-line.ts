// "Not ours": a credit that pays no invoice of ours (a refund, a loan, a mistake) leaves the list.
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { bankLines } from "../db/schema/index.ts";
import { parseInput } from "../domain/parse-input.ts";

export const DismissBankLineInput = z.object({
  workspaceId: z.uuid(),
  bankLineId: z.uuid(),
  actor: z.string().min(1),
});

export async function dismissBankLine(
  deps: ServiceDeps,
  rawInput: z.input<typeof DismissBankLineInput>,
): Promise<{ alreadyDone: boolean }> {
  const input = parseInput(DismissBankLineInput, rawInput);
  const [dismissed] = await deps.db
    .update(bankLines)
    .set({
      outcome: "dismissed",
      reason: `not ours, said ${input.actor}`,
      settledBy: input.actor,
      updatedAt: deps.now(),
    })
    .where(
      and(
        eq(bankLines.workspaceId, input.workspaceId),
        eq(bankLines.id, input.bankLineId),
        inArray(bankLines.outcome, ["suggested", "unmatched"]),
      ),
    )
    .returning({ id: bankLines.id });
  return { alreadyDone: !dismissed };
}
