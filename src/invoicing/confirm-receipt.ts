// The client confirms "I received this invoice" through the link in the e-mail: recorded once.
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { findReceipt } from "./find-receipt.ts";
import { type InvoiceRow, markInvoiceReceived, notifyInvoiceEvent } from "./repo.ts";

export type ConfirmReceiptInput = { token: string };

// The client has no Slack identity and the token names the workspace: this runs before any ctx exists.
export async function confirmReceipt(
  deps: ServiceDeps,
  rawInput: ConfirmReceiptInput,
): Promise<{ invoice: InvoiceRow; alreadyDone: boolean }> {
  const result = await deps.db.transaction(async (tx) => {
    const invoice = await findReceipt({ db: tx }, rawInput.token);
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
