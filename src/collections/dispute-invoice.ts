// Dispute: the client contests the invoice; every reminder stops and the PM hears about it.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { claimDelivery } from "../delivery/index.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { markDisputed } from "./actions-repo.ts";
import { runCollectionAction } from "./collection-action.ts";
import { DISPUTE_NOTICE_PAYLOAD } from "./collection-payloads.ts";

export const DisputeInvoiceInput = z.object({
  invoiceId: z.uuid(),
  reason: z.string().trim().min(1, "say what the client disputes").max(1000),
});
export type DisputeInvoiceInput = z.input<typeof DisputeInvoiceInput>;

export async function disputeInvoice(
  ctx: Ctx,
  rawInput: DisputeInvoiceInput,
): Promise<{ alreadyDone: boolean; number: string }> {
  const { invoiceId, reason } = DisputeInvoiceInput.parse(rawInput);
  return runCollectionAction(ctx, {
    invoiceId,
    act: async (tx, { view, audit, notify }) => {
      // The PM of the invoice's project may dispute it too: the permission needs the invoice.
      assertAllowed(ctx.actor, { action: "pauseOrDispute", projectPmMemberId: view.pmMemberId });
      const { number } = view;
      const changed = await markDisputed(tx, view, { at: ctx.now(), reason });
      if (!changed) return { result: { alreadyDone: true, number }, ids: [] };
      const disputedAt = changed.disputedAt?.toISOString();
      await audit("collection.disputed", {
        before: { disputedAt: null },
        after: { disputedAt: changed.disputedAt, reason },
      });
      const ids: string[] = [];
      if (view.pmSlackUserId) {
        const id = await claimDelivery(tx, {
          workspaceId: ctx.workspaceId,
          kind: "slack_dm",
          invoiceId,
          dedupeKey: `dispute:${invoiceId}:${disputedAt}`,
          payload: {
            type: DISPUTE_NOTICE_PAYLOAD,
            invoiceId,
            reason,
            actor: auditActorOf(ctx.actor),
            channel: view.pmSlackUserId,
          },
        });
        if (id) ids.push(id);
      }
      const event = await notify({ event: "disputed", occurrence: disputedAt, detail: { reason } });
      if (event) ids.push(event);
      return { result: { alreadyDone: false, number }, ids };
    },
  });
}
