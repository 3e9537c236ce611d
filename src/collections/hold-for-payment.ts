// Money on its way (the client's "Paid already", a card or SEPA payment under way): the next reminder
// waits a few days (settings.paymentHoldDays) and the collector is told. If nothing arrives, the
// reminder run treats the hold as a broken promise: reminders resume and the collector hears it.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { claimDelivery } from "../delivery/index.ts";
import { addDays } from "../domain/calendar.ts";
import { parseInput } from "../domain/errors.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { holdPromiseUntil } from "./actions-repo.ts";
import { runCollectionAction } from "./collection-action.ts";
import { PAYMENT_ON_ITS_WAY_PAYLOAD } from "./collection-payloads.ts";

export const DEFAULT_PAYMENT_HOLD_DAYS = 5;

export const HoldForPaymentInput = z.object({
  invoiceId: z.uuid(),
  /** Who says the money is coming: the client's link, or Stripe for a payment under way. */
  source: z.enum(["client", "card", "sepa_debit"]),
});
export type HoldForPaymentInput = z.input<typeof HoldForPaymentInput>;

export async function holdForPayment(
  ctx: Ctx,
  rawInput: HoldForPaymentInput,
): Promise<{ alreadyDone: boolean; holdUntil: string | null }> {
  const { invoiceId, source } = parseInput(HoldForPaymentInput, rawInput);
  assertAllowed(
    ctx.actor,
    source === "client" ? { action: "announcePayment" } : { action: "recordPaymentEvent" },
  );
  return runCollectionAction(ctx, {
    invoiceId,
    act: async (tx, { workspace, view, today, audit, notify }) => {
      if (view.openMinor <= 0 || !["issued", "partially_paid"].includes(view.status)) {
        return { result: { alreadyDone: true, holdUntil: null }, ids: [] };
      }
      const holdUntil = addDays(today, workspace.settings.paymentHoldDays ?? DEFAULT_PAYMENT_HOLD_DAYS);
      // A later hold or promise already covers it: announcing twice extends nothing.
      if (!(await holdPromiseUntil(tx, view, holdUntil))) {
        return { result: { alreadyDone: true, holdUntil: view.promisedOn }, ids: [] };
      }
      await audit("collection.payment_on_its_way", {
        before: { promisedOn: view.promisedOn },
        after: { promisedOn: holdUntil, source },
      });
      const channel = view.collectorSlackUserId ?? workspace.collectionsChannelId;
      const ids = [
        channel
          ? await claimDelivery(tx, {
              workspaceId: ctx.workspaceId,
              kind: channel.startsWith("C") || channel.startsWith("G") ? "slack_message" : "slack_dm",
              invoiceId,
              dedupeKey: `payment-on-its-way:${invoiceId}:${holdUntil}`,
              payload: { type: PAYMENT_ON_ITS_WAY_PAYLOAD, invoiceId, source, holdUntil, channel },
            })
          : null,
        await notify({
          event: "promise_to_pay",
          occurrence: `on-its-way:${holdUntil}`,
          detail: { on: holdUntil, source },
        }),
      ].filter((id): id is string => Boolean(id));
      return { result: { alreadyDone: false, holdUntil }, ids };
    },
  });
}
