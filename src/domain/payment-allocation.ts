// A client's payment that names no invoice is applied to its open invoices oldest due first, each
// up to what is open on it; more than everything open is refused (a refund or credit is separate).
import { DomainError } from "./errors.ts";

export type OpenInvoice = { id: string; number: string; openMinor: number };
export type Allocation = { invoiceId: string; number: string; amountMinor: number };

/** `open` must already be in the order to settle them (oldest due first). */
export function allocateOldestFirst(amountMinor: number, open: readonly OpenInvoice[]): Allocation[] {
  const totalOpen = open.reduce((sum, invoice) => sum + invoice.openMinor, 0);
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw new DomainError("payment.amount", `payment of ${amountMinor}`, {
      userMessage: "A payment must be more than zero.",
      messageKey: "invoicing.error.payment_zero",
    });
  }
  if (amountMinor > totalOpen) {
    throw new DomainError("payment.overpayment", `payment ${amountMinor} > open ${totalOpen}`, {
      userMessage: `The payment is more than the ${open.length} open invoice(s) of this client in this currency add up to: record at most what is open (an overpayment is a refund or a credit to handle separately).`,
      messageKey: "invoicing.error.client_overpayment",
      messageValues: { count: open.length },
    });
  }
  const allocations: Allocation[] = [];
  let left = amountMinor;
  for (const invoice of open) {
    if (left === 0) break;
    const applied = Math.min(left, invoice.openMinor);
    if (applied > 0)
      allocations.push({ invoiceId: invoice.id, number: invoice.number, amountMinor: applied });
    left -= applied;
  }
  return allocations;
}
