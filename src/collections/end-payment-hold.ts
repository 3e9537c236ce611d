// A payment under way failed (a SEPA debit refused): the hold it put on reminders ends at once and
// the collector is told, so chasing resumes without waiting for the hold's last day.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { claimDelivery } from "../delivery/index.ts";
import { addDays } from "../domain/calendar.ts";
import { parseInput } from "../domain/errors.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { endHoldBy } from "./actions-repo.ts";
import { runCollectionAction } from "./collection-action.ts";
import { PAYMENT_ON_ITS_WAY_PAYLOAD } from "./collection-payloads.ts";
import { DEFAULT_PAYMENT_HOLD_DAYS } from "./hold-for-payment.ts";

export const EndPaymentHoldInput = z.object({
  invoiceId: z.uuid(),
  /** The failed payment (Stripe's), so a replayed failure tells nobody twice. */
  reference: z.string().trim().min(1).max(200),
});
export type EndPaymentHoldInput = z.input<typeof EndPaymentHoldInput>;

export async function endPaymentHold(
  ctx: Ctx,
  rawInput: EndPaymentHoldInput,
): Promise<{ alreadyDone: boolean }> {
  assertAllowed(ctx.actor, { action: "recordPaymentEvent" });
  const { invoiceId, reference } = parseInput(EndPaymentHoldInput, rawInput);
  return runCollectionAction(ctx, {
    invoiceId,
    act: async (tx, { workspace, view, today, audit }) => {
      const holdDays = workspace.settings.paymentHoldDays ?? DEFAULT_PAYMENT_HOLD_DAYS;
      // Only a hold as long as a payment's: a longer promise the collector agreed with the client stays.
      await endHoldBy(tx, view, addDays(today, holdDays));
      const channel = view.collectorSlackUserId ?? workspace.collectionsChannelId;
      const id = channel
        ? await claimDelivery(tx, {
            workspaceId: ctx.workspaceId,
            kind: channel.startsWith("C") || channel.startsWith("G") ? "slack_message" : "slack_dm",
            invoiceId,
            dedupeKey: `payment-failed:${invoiceId}:${reference}`,
            payload: { type: PAYMENT_ON_ITS_WAY_PAYLOAD, invoiceId, failed: true, channel },
          })
        : null;
      if (!id) return { result: { alreadyDone: true }, ids: [] };
      await audit("collection.payment_failed", {
        before: { promisedOn: view.promisedOn },
        after: { reference },
      });
      return { result: { alreadyDone: false }, ids: [id] };
    },
  });
}
