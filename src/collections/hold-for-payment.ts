// Money on its way (the client's "Paid already", a card or SEPA payment under way): the next reminder
// waits a few days (settings.paymentHoldDays) and the collector is told. If nothing arrives, the
// reminder run treats the hold as a broken promise: reminders resume and the collector hears it.
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { claimDelivery } from "../delivery/index.ts";
import { addDays } from "../domain/calendar.ts";
import { parseInput } from "../domain/errors.ts";
import { notifyInvoiceEvent } from "../invoicing/index.ts";
import { runCollectionAction } from "./collection-action.ts";
import { PAYMENT_ON_ITS_WAY_PAYLOAD } from "./collection-payloads.ts";
import { ensureCollection, updateCollection } from "./repo.ts";

export const DEFAULT_PAYMENT_HOLD_DAYS = 5;

export const HoldForPaymentInput = z.object({
  workspaceId: z.uuid(),
  invoiceId: z.uuid(),
  /** Who says the money is coming: the client's link, or Stripe for a payment under way. */
  source: z.enum(["client", "card", "sepa_debit"]),
});
export type HoldForPaymentInput = z.input<typeof HoldForPaymentInput>;

export async function holdForPayment(
  deps: ServiceDeps,
  rawInput: HoldForPaymentInput,
): Promise<{ alreadyDone: boolean; holdUntil: string | null }> {
  const input = parseInput(HoldForPaymentInput, rawInput);
  return runCollectionAction(deps, input, async (tx, { workspace, view, today }) => {
    if (view.openMinor <= 0 || !["issued", "partially_paid"].includes(view.status)) {
      return { result: { alreadyDone: true, holdUntil: null }, ids: [] };
    }
    const holdUntil = addDays(today, workspace.settings.paymentHoldDays ?? DEFAULT_PAYMENT_HOLD_DAYS);
    await ensureCollection(tx, input.workspaceId, input.invoiceId);
    // A later hold or promise already covers it: announcing twice extends nothing.
    const changed = await updateCollection(
      tx,
      input.workspaceId,
      input.invoiceId,
      { promisedOn: holdUntil },
      sql`(promised_on is null or promised_on < ${holdUntil}::date)`,
    );
    if (!changed) return { result: { alreadyDone: true, holdUntil: view.promisedOn }, ids: [] };
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.source === "client" ? "client" : "stripe",
      action: "collection.payment_on_its_way",
      entity: "invoice",
      entityId: input.invoiceId,
      before: { promisedOn: view.promisedOn },
      after: { promisedOn: holdUntil, source: input.source },
    });
    const channel = view.collectorSlackUserId ?? workspace.collectionsChannelId;
    const ids = [
      channel
        ? await claimDelivery(tx, {
            workspaceId: input.workspaceId,
            kind: channel.startsWith("C") || channel.startsWith("G") ? "slack_message" : "slack_dm",
            invoiceId: input.invoiceId,
            dedupeKey: `payment-on-its-way:${input.invoiceId}:${holdUntil}`,
            payload: {
              type: PAYMENT_ON_ITS_WAY_PAYLOAD,
              invoiceId: input.invoiceId,
              source: input.source,
              holdUntil,
              channel,
            },
          })
        : null,
      await notifyInvoiceEvent(tx, {
        workspaceId: input.workspaceId,
        invoiceId: input.invoiceId,
        event: "promise_to_pay",
        occurrence: `on-its-way:${holdUntil}`,
        actor: input.source === "client" ? "client" : "stripe",
        detail: { on: holdUntil, source: input.source },
      }),
    ].filter((id): id is string => Boolean(id));
    return { result: { alreadyDone: false, holdUntil }, ids };
  });
}
