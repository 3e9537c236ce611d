// Claims the e-mailing of an issued invoice, once per send request, and hands it to the queue.
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/repos/audit.ts";
import { findInvoice } from "../db/repos/invoices.ts";
import { DomainError } from "../domain/errors.ts";
import { transitionInvoice } from "../domain/invoice-state.ts";
import { claimDelivery } from "./claim-delivery.ts";
import { parseInput } from "./parse-input.ts";

export const INVOICE_EMAIL_PAYLOAD = "invoice_email";

export const SendInvoiceInput = z.object({
  workspaceId: z.uuid(),
  invoiceId: z.uuid(),
  actor: z.string().min(1).default("system"),
  /** Identifies one "send" intent (button click id, CLI run id): a retry or double click reuses it. */
  sendRequestId: z.string().trim().min(1).max(200),
  /** Overrides the client's billing contacts for this send. */
  to: z.array(z.email()).min(1).max(20).optional(),
});
export type SendInvoiceInput = z.input<typeof SendInvoiceInput>;

export type InvoiceEmailPayload = {
  type: typeof INVOICE_EMAIL_PAYLOAD;
  invoiceId: string;
  to: string[];
  sendRequestId: string;
};

export async function sendInvoice(
  deps: ServiceDeps,
  rawInput: SendInvoiceInput,
): Promise<{ deliveryId: string | null; alreadyDone: boolean; to: string[] }> {
  const input = parseInput(SendInvoiceInput, rawInput);
  const { workspaceId } = input;
  const result = await deps.db.transaction(async (tx) => {
    const invoice = await findInvoice(tx, workspaceId, input.invoiceId);
    if (!invoice) {
      throw new DomainError("invoice.not_found", "invoice not found", {
        userMessage: "That invoice does not exist in this workspace.",
      });
    }
    transitionInvoice(invoice.status, "send");
    const to = input.to ?? invoice.buyer?.emails ?? [];
    if (to.length === 0) {
      throw new DomainError("invoice.no_recipient", "client has no billing e-mail", {
        userMessage: `Invoice ${invoice.number} cannot be e-mailed: the client has no billing e-mail address. Add one to the client, then send again.`,
      });
    }
    const payload: InvoiceEmailPayload = {
      type: INVOICE_EMAIL_PAYLOAD,
      invoiceId: invoice.id,
      to,
      sendRequestId: input.sendRequestId,
    };
    const deliveryId = await claimDelivery(tx, {
      workspaceId,
      kind: "email",
      invoiceId: invoice.id,
      dedupeKey: `invoice-email:${invoice.id}:${input.sendRequestId}`,
      payload,
    });
    if (deliveryId) {
      await recordAudit(tx, {
        workspaceId,
        actor: input.actor,
        action: "invoice.send_requested",
        entity: "invoice",
        entityId: invoice.id,
        after: { to, deliveryId, sendRequestId: input.sendRequestId },
      });
    }
    return { deliveryId, alreadyDone: deliveryId === null, to };
  });
  if (result.deliveryId) await deps.enqueue([result.deliveryId]);
  return result;
}
