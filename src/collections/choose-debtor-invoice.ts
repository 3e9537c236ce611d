// A reminder or a payment asked for a whole debtor (the `/aging` debtor menu) is for one invoice:
// the client's only open one, or, for a payment, one transfer over several invoices in a single
// currency (settled oldest due first); otherwise the asker picks the invoice.
import type { Ctx } from "../context.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { type ClientOpenInvoice, listClientOpenInvoices } from "../invoicing/index.ts";

/** More open invoices than this and the client payment is not offered (the list would be cut). */
const CLIENT_PAYMENT_MAX_INVOICES = 1000;
/** Enough to name the first ten and say there are more. */
const PICK_LIST_MAX = 11;

export type DebtorInvoiceChoice =
  | { kind: "invoice"; invoiceId: string }
  | {
      kind: "clientPayment";
      clientId: string;
      clientName: string;
      currency: string;
      invoices: number;
      openMinor: number;
      locale: string;
    }
  | { kind: "pick"; clientName: string | null; invoices: ClientOpenInvoice[]; locale: string };

export async function chooseDebtorInvoice(
  ctx: Ctx,
  input: { clientId: string; verb: "pay" | "remind" },
): Promise<DebtorInvoiceChoice> {
  // Before listing the client's invoices: a PM may see the report but not act on collections.
  assertAllowed(ctx.actor, { action: "collect" });
  const open = await listClientOpenInvoices(ctx, {
    clientId: input.clientId,
    limit: input.verb === "pay" ? CLIENT_PAYMENT_MAX_INVOICES : PICK_LIST_MAX,
  });
  const [first] = open.invoices;
  const currencies = new Set(open.invoices.map((i) => i.currency));
  if (input.verb === "pay" && open.clientName && first && open.invoices.length > 1 && currencies.size === 1) {
    return {
      kind: "clientPayment",
      clientId: input.clientId,
      clientName: open.clientName,
      currency: first.currency,
      invoices: open.invoices.length,
      openMinor: open.invoices.reduce((sum, i) => sum + i.openMinor, 0),
      locale: open.locale,
    };
  }
  if (!first || open.invoices.length > 1) return { kind: "pick", ...open };
  return { kind: "invoice", invoiceId: first.invoiceId };
}
