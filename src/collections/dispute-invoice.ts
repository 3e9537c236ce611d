// Dispute: the client contests the invoice; every reminder stops and the PM hears about it.
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { claimDelivery } from "../delivery/index.ts";
import { notifyInvoiceEvent } from "../invoicing/index.ts";
import { runCollectionAction } from "./collection-action.ts";
import { DISPUTE_NOTICE_PAYLOAD } from "./collection-payloads.ts";
import { updateCollection } from "./repo.ts";

export const DisputeInvoiceInput = z.object({
  workspaceId: z.uuid(),
  invoiceId: z.uuid(),
  reason: z.string().trim().min(1, "say what the client disputes").max(1000),
  actor: z.string().min(1),
});
export type DisputeInvoiceInput = z.input<typeof DisputeInvoiceInput>;

export async function disputeInvoice(
  deps: ServiceDeps,
  rawInput: DisputeInvoiceInput,
): Promise<{ alreadyDone: boolean }> {
  const input = DisputeInvoiceInput.parse(rawInput);
  return runCollectionAction(deps, input, async (tx, { view }) => {
    const changed = await updateCollection(
      tx,
      input.workspaceId,
      input.invoiceId,
      { disputedAt: deps.now(), disputeReason: input.reason },
      sql`disputed_at is null`,
    );
    if (!changed) return { result: { alreadyDone: true }, ids: [] };
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: "collection.disputed",
      entity: "invoice",
      entityId: input.invoiceId,
      before: { disputedAt: null },
      after: { disputedAt: changed.disputedAt, reason: input.reason },
    });
    const ids: string[] = [];
    if (view.pmSlackUserId) {
      const id = await claimDelivery(tx, {
        workspaceId: input.workspaceId,
        kind: "slack_dm",
        invoiceId: input.invoiceId,
        dedupeKey: `dispute:${input.invoiceId}:${changed.disputedAt?.toISOString()}`,
        payload: {
          type: DISPUTE_NOTICE_PAYLOAD,
          invoiceId: input.invoiceId,
          reason: input.reason,
          actor: input.actor,
          channel: view.pmSlackUserId,
        },
      });
      if (id) ids.push(id);
    }
    const event = await notifyInvoiceEvent(tx, {
      workspaceId: input.workspaceId,
      invoiceId: input.invoiceId,
      event: "disputed",
      occurrence: changed.disputedAt?.toISOString(),
      actor: input.actor,
      detail: { reason: input.reason },
    });
    if (event) ids.push(event);
    return { result: { alreadyDone: false }, ids };
  });
}
