// The client opened the pay link: a Stripe Checkout session is made now, for what is still open, or
// the page says why there is nothing to pay.
import type { ServiceDeps } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { findReceipt } from "./find-receipt.ts";
import type { InvoiceRow } from "./repo.ts";
import type { StripePayments } from "./stripe-client.ts";

export type OnlinePayment =
  | { kind: "checkout"; url: string; invoice: InvoiceRow }
  | { kind: "paid" | "cancelled" | "credit_note"; invoice: InvoiceRow };

/** Stripe's SEPA Direct Debit takes euros only. */
const methodsFor = (currency: string): ("card" | "sepa_debit")[] =>
  currency === "EUR" ? ["card", "sepa_debit"] : ["card"];

// A pay link's visitor has no Slack identity and the token names the workspace: this runs before any ctx exists.
export async function startOnlinePayment(
  deps: Pick<ServiceDeps, "db" | "now">,
  payments: StripePayments,
  input: { token: string },
): Promise<OnlinePayment> {
  const invoice = await findReceipt(deps, input.token);
  if (invoice.kind === "credit_note") return { kind: "credit_note", invoice };
  if (invoice.status === "void" || invoice.status === "credited") return { kind: "cancelled", invoice };
  if (invoice.status === "paid" || invoice.openMinor <= 0) return { kind: "paid", invoice };
  const pageUrl = `${payments.publicUrl}/pay/${input.token}`;
  const metadata = {
    invoice_id: invoice.id,
    workspace_id: invoice.workspaceId,
    invoice_number: invoice.number ?? "",
  };
  const label = `${invoice.number ?? ""} — ${invoice.seller?.tradeName ?? invoice.seller?.legalName ?? ""}`;
  // A second click the same day, for the same amount, gets the same session back: two open
  // sessions could both be paid.
  const day = deps.now().toISOString().slice(0, 10);
  const session = await payments.stripe.checkout.sessions.create(
    {
      mode: "payment",
      allowed_payment_method_types: methodsFor(invoice.currency),
      line_items: [
        {
          quantity: 1,
          price_data: {
            currency: invoice.currency.toLowerCase(),
            unit_amount: invoice.openMinor,
            product_data: { name: label },
          },
        },
      ],
      client_reference_id: invoice.id,
      metadata,
      payment_intent_data: { metadata, description: label },
      ...(invoice.buyer?.emails[0] ? { customer_email: invoice.buyer.emails[0] } : {}),
      locale: invoice.buyer?.language ?? "auto",
      success_url: `${pageUrl}?done=1`,
      cancel_url: pageUrl,
    },
    { idempotencyKey: `cobro-pay:${invoice.id}:${invoice.openMinor}:${day}` },
  );
  if (!session.url) {
    throw new DomainError("payment.checkout_unavailable", `session ${session.id} has no url`, {
      userMessage: "The payment page could not be opened. Please try again in a few minutes.",
    });
  }
  return { kind: "checkout", url: session.url, invoice };
}
