// Public invoice endpoints: the client's receipt page (/r/<token>, with the pay link) and the SendGrid Event Webhook.
import { holdForPayment } from "../collections/index.ts";
import { contextFor, type ServiceDeps } from "../context.ts";
import { isDomainError } from "../domain/errors.ts";
import { payUrlOf } from "../domain/payment-links.ts";
import { externalActor } from "../domain/permissions.ts";
import { confirmReceipt, findReceipt, type InvoiceRow, type StripePayments } from "../invoicing/index.ts";
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

/** The "Paid already" page of reminder e-mails. */
const PAID_TEXT = {
  fr: {
    title: "Paiement effectué",
    ask: "Vous avez déjà réglé cette facture ? Dites-le-nous : nous suspendons les relances le temps que le paiement arrive.",
    button: "J'ai déjà payé",
    done: "Merci ! Les relances sont suspendues le temps que votre paiement nous parvienne.",
    settled: "Cette facture est réglée. Merci !",
  },
  es: {
    title: "Pago realizado",
    ask: "¿Ya ha pagado esta factura? Indíquenoslo y dejaremos de enviarle recordatorios mientras llega el pago.",
    button: "Ya he pagado",
    done: "¡Gracias! No le enviaremos recordatorios mientras llega su pago.",
    settled: "Esta factura está pagada. ¡Gracias!",
  },
  en: {
    title: "Paid already",
    ask: "Already paid this invoice? Tell us, and reminders stop while the payment reaches us.",
    button: "I have paid",
    done: "Thank you! Reminders are on hold while your payment reaches us.",
    settled: "This invoice is paid. Thank you!",
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
    {
      method: "GET",
      path: "/paid/:token",
      handler: async (_req, res, { token = "" }) => {
        try {
          const invoice = await findReceipt(deps, token);
          const language = invoice.buyer?.language ?? "en";
          const t = PAID_TEXT[language];
          const heading = PAGE_TEXT[language].ask(invoice.number ?? "", invoice.seller?.legalName ?? "");
          // A button, not the link itself: mail scanners open links, and must not announce payments.
          const body =
            invoice.openMinor <= 0
              ? `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(t.settled)}</p>`
              : `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(t.ask)}</p><form method="post"><button type="submit" style="padding:10px 16px;font-size:1rem">${escapeHtml(t.button)}</button></form>`;
          sendHtml(res, 200, language, t.title, body);
        } catch (error) {
          if (!isDomainError(error)) throw error;
          notFound(res, error.userMessage);
        }
      },
    },
    {
      method: "POST",
      path: "/paid/:token",
      maxBodyBytes: RECEIPT_BODY_LIMIT,
      handler: async (_req, res, { token = "" }) => {
        try {
          const invoice = await findReceipt(deps, token);
          // The signed link names the workspace and speaks for the client.
          const client = contextFor(deps, invoice.workspaceId, externalActor("client"));
          await holdForPayment(client, { invoiceId: invoice.id, source: "client" });
          const language = invoice.buyer?.language ?? "en";
          const heading = PAGE_TEXT[language].ask(invoice.number ?? "", invoice.seller?.legalName ?? "");
          sendHtml(
            res,
            200,
            language,
            PAID_TEXT[language].title,
            `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(PAID_TEXT[language].done)}</p>`,
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
