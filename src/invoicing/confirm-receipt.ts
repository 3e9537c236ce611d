// The client confirms "I received this invoice" through the link in the e-mail: recorded once.
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { DomainError, parseInput } from "../domain/errors.ts";
import {
  findInvoiceByReceiptToken,
  type InvoiceRow,
  markInvoiceReceived,
  notifyInvoiceEvent,
} from "./repo.ts";

export const ConfirmReceiptInput = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "a receipt token"),
});
export type ConfirmReceiptInput = z.input<typeof ConfirmReceiptInput>;

const unknownToken = () =>
  new DomainError("receipt.unknown", "unknown receipt token", {
    userMessage: "This receipt link is not valid. Please use the link in the invoice e-mail.",
  });

export async function confirmReceipt(
  deps: ServiceDeps,
  rawInput: ConfirmReceiptInput,
): Promise<{ invoice: InvoiceRow; alreadyDone: boolean }> {
  const parsed = ConfirmReceiptInput.safeParse(rawInput);
  if (!parsed.success) throw unknownToken();
  const input = parseInput(ConfirmReceiptInput, parsed.data);
  const result = await deps.db.transaction(async (tx) => {
    const invoice = await findInvoiceByReceiptToken(tx, input.token);
    if (!invoice || invoice.status === "draft" || invoice.status === "held") throw unknownToken();
    const now = deps.now();
    const updated = await markInvoiceReceived(tx, invoice.id, now);
    if (!updated) return { invoice, alreadyDone: true, notice: null };
    await recordAudit(tx, {
      workspaceId: invoice.workspaceId,
      actor: "client",
      action: "invoice.received",
      entity: "invoice",
      entityId: invoice.id,
      after: { receivedAt: now.toISOString() },
    });
    const notice = await notifyInvoiceEvent(tx, {
      workspaceId: invoice.workspaceId,
      invoiceId: invoice.id,
      event: "received",
      actor: "client",
      detail: { receivedAt: now.toISOString() },
    });
    return { invoice: updated, alreadyDone: false, notice };
  });
  if (result.notice) await deps.enqueue([result.notice]);
  return { invoice: result.invoice, alreadyDone: result.alreadyDone };
}

/** Read-only lookup for the receipt page. */
export async function findReceipt(deps: Pick<ServiceDeps, "db">, token: string): Promise<InvoiceRow> {
  if (!ConfirmReceiptInput.safeParse({ token }).success) throw unknownToken();
  const invoice = await findInvoiceByReceiptToken(deps.db, token);
  if (!invoice || invoice.status === "draft" || invoice.status === "held") throw unknownToken();
  return invoice;
}
