// Public invoice endpoints: the client's receipt page (/r/<token>) and the SendGrid Event Webhook.
import { createPublicKey, type KeyObject, verify } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServiceDeps } from "../context.ts";
import { isDomainError } from "../domain/errors.ts";
import { confirmReceipt, findReceipt } from "../services/confirm-receipt.ts";
import { recordEmailEvents } from "../services/record-email-event.ts";
import { type Route, readBody, sendJson } from "./server.ts";

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

/** SendGrid signs timestamp + raw body with ECDSA P-256 (SHA-256); the key is base64 DER SPKI. */
export function verifySendgridSignature(
  publicKey: KeyObject,
  rawBody: Buffer,
  signature: string | undefined,
  timestamp: string | undefined,
): boolean {
  if (!signature || !timestamp) return false;
  try {
    return verify(
      "sha256",
      Buffer.concat([Buffer.from(timestamp, "utf8"), rawBody]),
      { key: publicKey, dsaEncoding: "der" },
      Buffer.from(signature, "base64"),
    );
  } catch {
    return false;
  }
}

export function parseSendgridPublicKey(key: string): KeyObject {
  const trimmed = key.trim();
  return trimmed.includes("BEGIN PUBLIC KEY")
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, "base64"), format: "der", type: "spki" });
}

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function invoiceRoutes(
  deps: ServiceDeps & { sendgridWebhookPublicKey?: string | undefined },
): Route[] {
  const publicKey = deps.sendgridWebhookPublicKey
    ? parseSendgridPublicKey(deps.sendgridWebhookPublicKey)
    : undefined;
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
      handler: async (req, res, { token = "" }) => {
        await readBody(req, 10_000);
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
    {
      method: "POST",
      path: "/webhooks/sendgrid",
      handler: async (req, res) => {
        const raw = await readBody(req);
        if (publicKey) {
          const ok = verifySendgridSignature(
            publicKey,
            raw,
            header(req, "x-twilio-email-event-webhook-signature"),
            header(req, "x-twilio-email-event-webhook-timestamp"),
          );
          if (!ok) {
            sendJson(res, 403, { error: "invalid signature" });
            return;
          }
        } else {
          deps.logger.warn("SendGrid webhook accepted unsigned: set SENDGRID_WEBHOOK_PUBLIC_KEY");
        }
        let events: unknown;
        try {
          events = JSON.parse(raw.toString("utf8"));
        } catch {
          sendJson(res, 400, { error: "body is not JSON" });
          return;
        }
        try {
          const result = await recordEmailEvents(deps, events as never);
          sendJson(res, 200, result);
        } catch (error) {
          if (!isDomainError(error)) throw error;
          sendJson(res, 400, { error: error.userMessage });
        }
      },
    },
  ];
}
