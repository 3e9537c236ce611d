// Records SendGrid Event Webhook events (delivered, bounce, open…), once each; a bounce or drop
// is surfaced on the invoice's Slack thread as a problem to fix.
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { parseInput } from "../domain/errors.ts";
import { findDeliveryOf, findInvoice, insertEmailEvent, notifyInvoiceEvent } from "./repo.ts";

const SendgridEvent = z
  .object({
    sg_event_id: z.string().min(1),
    event: z.string().min(1),
    email: z.string().optional(),
    timestamp: z.number().int(),
    reason: z.string().optional(),
    response: z.string().optional(),
    type: z.string().optional(),
    invoice_id: z.string().optional(),
    workspace_id: z.string().optional(),
    delivery_id: z.string().optional(),
  })
  .loose();
export const RecordEmailEventsInput = z.array(SendgridEvent).max(10_000);
export type RecordEmailEventsInput = z.input<typeof RecordEmailEventsInput>;

const PROBLEMS = new Set(["bounce", "dropped", "blocked"]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Events without our custom args (not sent by Cobro) are ignored; each sg_event_id counts once. */
// SendGrid's webhook (signature checked by the route) names the workspace per event: no ctx exists before.
export async function recordEmailEvents(
  deps: ServiceDeps,
  rawInput: RecordEmailEventsInput,
): Promise<{ recorded: number; ignored: number; duplicates: number }> {
  const events = parseInput(RecordEmailEventsInput, rawInput);
  const notices: string[] = [];
  let recorded = 0;
  let ignored = 0;
  let duplicates = 0;
  await deps.db.transaction(async (tx) => {
    for (const event of events) {
      const { workspace_id: workspaceId, invoice_id: invoiceId } = event;
      if (!workspaceId || !invoiceId || !UUID.test(workspaceId) || !UUID.test(invoiceId)) {
        ignored++;
        continue;
      }
      // The ids come from our own custom args, but are checked against each other all the same.
      const invoice = await findInvoice(tx, workspaceId, invoiceId);
      if (!invoice) {
        ignored++;
        continue;
      }
      let deliveryId: string | null = null;
      if (event.delivery_id && UUID.test(event.delivery_id)) {
        const delivery = await findDeliveryOf(tx, workspaceId, event.delivery_id);
        deliveryId = delivery?.id ?? null;
      }
      const kind = event.event === "bounce" && event.type === "blocked" ? "blocked" : event.event;
      const row = await insertEmailEvent(tx, {
        workspaceId,
        providerEventId: event.sg_event_id,
        deliveryId,
        invoiceId,
        event: kind,
        email: event.email ?? null,
        reason: event.reason ?? event.response ?? null,
        occurredAt: new Date(event.timestamp * 1000),
      });
      if (!row) {
        duplicates++;
        continue;
      }
      recorded++;
      if (PROBLEMS.has(kind)) {
        const notice = await notifyInvoiceEvent(tx, {
          workspaceId,
          invoiceId,
          event: "email_bounced",
          occurrence: event.sg_event_id,
          detail: { email: event.email ?? null, reason: event.reason ?? event.response ?? kind },
        });
        if (notice) notices.push(notice);
      } else if (kind === "delivered") {
        const notice = await notifyInvoiceEvent(tx, {
          workspaceId,
          invoiceId,
          event: "email_delivered",
          occurrence: deliveryId ?? event.sg_event_id,
          detail: { email: event.email ?? null },
        });
        if (notice) notices.push(notice);
      }
    }
  });
  if (notices.length > 0) await deps.enqueue(notices);
  return { recorded, ignored, duplicates };
}
