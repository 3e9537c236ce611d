// Public invoice endpoints: the client's receipt page (/r/<token>, with the pay link) and the SendGrid Event Webhook.
import type { ServiceDeps } from "../context.ts";
import { isDomainError } from "../domain/errors.ts";
import {
  confirmReceipt,
  findReceipt,
  type InvoiceRow,
  payUrlOf,
  type StripePayments,
} from "../invoicing/index.ts";
import { escapeHtml, notFound, sendHtml } from "./html-page.ts";
import { type SendgridWebhookSettings, sendgridWebhookRoute } from "./sendgrid-webhook.ts";
import type { Route } from "./server.ts";

const PAGE_TEXT = {
  fr: {
    title: "Accusé de réception",
    ask: (n: string, s: string) => `Facture ${n} de ${s}`,
    button: "J'ai bien reçu cette facture",
    done: "Merci, la réception de la facture est confirmée.",
    already: "La réception de cette facture a déjà été confirmée.",
    pay: "Payer en ligne",
  },
  es: {
    title: "Acuse de recibo",
    ask: (n: string, s: string) => `Factura ${n} de ${s}`,
    button: "He recibido esta factura",
    done: "Gracias, la recepción de la factura queda confirmada.",
    already: "La recepción de esta factura ya estaba confirmada.",
    pay: "Pagar en línea",
  },
  en: {
    title: "Receipt",
    ask: (n: string, s: string) => `Invoice ${n} from ${s}`,
    button: "I received this invoice",
    done: "Thank you, receipt of the invoice is confirmed.",
    already: "Receipt of this invoice was already confirmed.",
    pay: "Pay online",
  },
} as const;

/** The receipt form posts nothing of its own. */
const RECEIPT_BODY_LIMIT = 10_000;

/** The pay link under the receipt, while something is still open and Stripe is set up. */
function payLink(payments: StripePayments | null | undefined, invoice: InvoiceRow, label: string): string {
  if (!payments || invoice.kind === "credit_note" || invoice.openMinor <= 0 || !invoice.receiptToken)
    return "";
  if (invoice.status !== "issued" && invoice.status !== "partially_paid") return "";
  return `<p><a href="${escapeHtml(payUrlOf(payments.publicUrl, invoice.receiptToken))}">${escapeHtml(label)}</a></p>`;
}

export function invoiceRoutes(
  deps: ServiceDeps & { sendgridWebhook: SendgridWebhookSettings; payments?: StripePayments | null },
): Route[] {
  return [
    {
      method: "GET",
      path: "/r/:token",
      handler: async (_req, res, { token = "" }) => {
        try {
          const invoice = await findReceipt(deps, token);
          const language = invoice.buyer?.language ?? "en";
          const t = PAGE_TEXT[language];
          const heading = t.ask(invoice.number ?? "", invoice.seller?.legalName ?? "");
          const body = invoice.receivedAt
            ? `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(t.already)}</p>`
            : `<h1>${escapeHtml(heading)}</h1><form method="post"><button type="submit" style="padding:10px 16px;font-size:1rem">${escapeHtml(t.button)}</button></form>`;
          const pay = payLink(deps.payments, invoice, t.pay);
          sendHtml(res, 200, language, t.title, body + pay);
        } catch (error) {
          if (!isDomainError(error)) throw error;
          notFound(res, error.userMessage);
        }
      },
    },
    {
      method: "POST",
      path: "/r/:token",
      maxBodyBytes: RECEIPT_BODY_LIMIT,
      handler: async (_req, res, { token = "" }) => {
        try {
          const { invoice, alreadyDone } = await confirmReceipt(deps, { token });
          const language = invoice.buyer?.language ?? "en";
          const t = PAGE_TEXT[language];
          const heading = t.ask(invoice.number ?? "", invoice.seller?.legalName ?? "");
          sendHtml(
            res,
            200,
            language,
            t.title,
            `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(alreadyDone ? t.already : t.done)}</p>${payLink(deps.payments, invoice, t.pay)}`,
          );
        } catch (error) {
          if (!isDomainError(error)) throw error;
          notFound(res, error.userMessage);
        }
      },
    },
    sendgridWebhookRoute(deps, deps.sendgridWebhook),
  ];
}
