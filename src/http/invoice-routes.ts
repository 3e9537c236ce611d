// Public invoice endpoints: the client's receipt page (/r/<token>) and the SendGrid Event Webhook.
import type { ServerResponse } from "node:http";
import type { ServiceDeps } from "../context.ts";
import { isDomainError } from "../domain/errors.ts";
import { confirmReceipt, findReceipt } from "../invoicing/index.ts";
import { type SendgridWebhookSettings, sendgridWebhookRoute } from "./sendgrid-webhook.ts";
import type { Route } from "./server.ts";

const PAGE_TEXT = {
  fr: {
    title: "Accusé de réception",
    ask: (n: string, s: string) => `Facture ${n} de ${s}`,
    button: "J'ai bien reçu cette facture",
    done: "Merci, la réception de la facture est confirmée.",
    already: "La réception de cette facture a déjà été confirmée.",
  },
  es: {
    title: "Acuse de recibo",
    ask: (n: string, s: string) => `Factura ${n} de ${s}`,
    button: "He recibido esta factura",
    done: "Gracias, la recepción de la factura queda confirmada.",
    already: "La recepción de esta factura ya estaba confirmada.",
  },
  en: {
    title: "Receipt",
    ask: (n: string, s: string) => `Invoice ${n} from ${s}`,
    button: "I received this invoice",
    done: "Thank you, receipt of the invoice is confirmed.",
    already: "Receipt of this invoice was already confirmed.",
  },
} as const;

/** The receipt form posts nothing of its own. */
const RECEIPT_BODY_LIMIT = 10_000;

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

function sendHtml(res: ServerResponse, status: number, language: string, title: string, body: string) {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-robots-tag": "noindex",
  });
  res.end(
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:36rem;margin:3rem auto;line-height:1.5">${body}</body></html>`,
  );
}

function notFound(res: ServerResponse, message: string) {
  sendHtml(res, 404, "en", "Not found", `<p>${escapeHtml(message)}</p>`);
}

export function invoiceRoutes(deps: ServiceDeps & { sendgridWebhook: SendgridWebhookSettings }): Route[] {
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
          sendHtml(res, 200, language, t.title, body);
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
            `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(alreadyDone ? t.already : t.done)}</p>`,
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
