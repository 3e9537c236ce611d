// Assign to me: one person owns the chase of this invoice.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { saveCollector } from "./actions-repo.ts";
import { runCollectionAction } from "./collection-action.ts";

export const AssignCollectorInput = z.object({
  invoiceId: z.uuid(),
  /** The member who chases it; null when whoever clicked "Assign to me" is not a member. */
  memberId: z.uuid().nullable(),
});
export type AssignCollectorInput = z.input<typeof AssignCollectorInput>;

export async function assignCollector(
  ctx: Ctx,
  rawInput: AssignCollectorInput,
): Promise<{ alreadyDone: boolean }> {
  assertAllowed(ctx.actor, { action: "collect" });
  const { invoiceId, memberId } = AssignCollectorInput.parse(rawInput);
  if (!memberId) {
    throw new DomainError("collection.unknown_member", "actor is not a member", {
      userMessage: "You are not a Cobro member of this workspace yet: ask an admin to add you in Setup.",
      messageKey: "collections.error.not_a_member",
    });
  }
  return runCollectionAction(ctx, {
    invoiceId,
    act: async (tx, { view, audit, notify }) => {
      if (!(await saveCollector(tx, view, memberId))) return { result: { alreadyDone: true }, ids: [] };
      await audit("collection.assigned", {
        before: { collectorMemberId: view.collectorMemberId },
        after: { collectorMemberId: memberId },
      });
      const id = await notify({
        event: "assigned",
        occurrence: memberId,
        detail: { collectorMemberId: memberId },
      });
      return { result: { alreadyDone: false }, ids: id ? [id] : [] };
    },
  });
}
