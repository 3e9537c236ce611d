// A payment under way failed (a SEPA debit refused): the hold it put on reminders ends at once and
// the collector is told, so chasing resumes without waiting for the hold's last day.
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { claimDelivery } from "../delivery/index.ts";
import { addDays } from "../domain/calendar.ts";
import { parseInput } from "../domain/errors.ts";
import { runCollectionAction } from "./collection-action.ts";
import { PAYMENT_ON_ITS_WAY_PAYLOAD } from "./collection-payloads.ts";
import { DEFAULT_PAYMENT_HOLD_DAYS } from "./hold-for-payment.ts";
import { updateCollection } from "./repo.ts";

export const EndPaymentHoldInput = z.object({
  workspaceId: z.uuid(),
  invoiceId: z.uuid(),
  /** The failed payment (Stripe's), so a replayed failure tells nobody twice. */
  reference: z.string().trim().min(1).max(200),
});
export type EndPaymentHoldInput = z.input<typeof EndPaymentHoldInput>;

export async function endPaymentHold(
  deps: ServiceDeps,
  rawInput: EndPaymentHoldInput,
): Promise<{ alreadyDone: boolean }> {
  const input = parseInput(EndPaymentHoldInput, rawInput);
  return runCollectionAction(deps, input, async (tx, { workspace, view, today }) => {
    const holdDays = workspace.settings.paymentHoldDays ?? DEFAULT_PAYMENT_HOLD_DAYS;
    // Only a hold as long as a payment's: a longer promise the collector agreed with the client stays.
    await updateCollection(
      tx,
      input.workspaceId,
      input.invoiceId,
      { promisedOn: null },
      sql`promised_on <= ${addDays(today, holdDays)}::date`,
    );
    const channel = view.collectorSlackUserId ?? workspace.collectionsChannelId;
    const id = channel
      ? await claimDelivery(tx, {
          workspaceId: input.workspaceId,
          kind: channel.startsWith("C") || channel.startsWith("G") ? "slack_message" : "slack_dm",
          invoiceId: input.invoiceId,
          dedupeKey: `payment-failed:${input.invoiceId}:${input.reference}`,
          payload: { type: PAYMENT_ON_ITS_WAY_PAYLOAD, invoiceId: input.invoiceId, failed: true, channel },
        })
      : null;
    if (!id) return { result: { alreadyDone: true }, ids: [] };
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: "stripe",
      action: "collection.payment_failed",
      entity: "invoice",
      entityId: input.invoiceId,
      before: { promisedOn: view.promisedOn },
      after: { reference: input.reference },
    });
    return { result: { alreadyDone: false }, ids: [id] };
  });
}
