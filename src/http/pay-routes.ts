// The pay link (/pay/<token>: a Stripe Checkout session made at click time) and the signed Stripe
// webhook (/webhooks/stripe) that records what was paid.
import type { IncomingMessage } from "node:http";
import { endPaymentHold, holdForPayment } from "../collections/index.ts";
import { contextFor, type ServiceDeps } from "../context.ts";
import { isDomainError } from "../domain/errors.ts";
import { externalActor } from "../domain/permissions.ts";
import {
  findReceipt,
  recordStripeEvent,
  type StripePayments,
  startOnlinePayment,
} from "../invoicing/index.ts";
import { escapeHtml, notFound, sendHtml } from "./html-page.ts";
import { type Route, sendJson } from "./server.ts";

const PAGE_TEXT = {
  fr: {
    title: "Paiement",
    heading: (n: string, s: string) => `Facture ${n} de ${s}`,
    paid: "Cette facture est déjà payée. Merci !",
    cancelled: "Cette facture a été annulée : il n'y a rien à payer.",
    credit_note: "Ceci est un avoir : il n'y a rien à payer.",
    done: "Merci ! Votre paiement a été transmis ; la facture sera marquée payée dès sa confirmation.",
  },
  es: {
    title: "Pago",
    heading: (n: string, s: string) => `Factura ${n} de ${s}`,
    paid: "Esta factura ya está pagada. ¡Gracias!",
    cancelled: "Esta factura está anulada: no hay nada que pagar.",
    credit_note: "Es una factura rectificativa: no hay nada que pagar.",
    done: "¡Gracias! Su pago se ha enviado; la factura quedará pagada en cuanto se confirme.",
  },
  en: {
    title: "Payment",
    heading: (n: string, s: string) => `Invoice ${n} from ${s}`,
    paid: "This invoice is already paid. Thank you!",
    cancelled: "This invoice was cancelled: there is nothing to pay.",
    credit_note: "This is a credit note: there is nothing to pay.",
    done: "Thank you! Your payment was sent; the invoice is marked paid as soon as it is confirmed.",
  },
} as const;

/** Stripe's events are small JSON objects; a generous bound all the same. */
const STRIPE_BODY_LIMIT = 1_000_000;

const header = (req: IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

export function payRoutes(deps: ServiceDeps, payments: StripePayments | null): Route[] {
  if (!payments) return [];
  return [
    {
      method: "GET",
      path: "/pay/:token",
      handler: async (req, res, { token = "" }) => {
        try {
          const done = new URL(req.url ?? "/", "http://localhost").searchParams.get("done") === "1";
          const result = done ? null : await startOnlinePayment(deps, payments, { token });
          if (result?.kind === "checkout") {
            res.writeHead(303, { location: result.url, "cache-control": "no-store" });
            res.end();
            return;
          }
          const invoice = result?.invoice ?? (await findReceipt(deps, token));
          const language = invoice.buyer?.language ?? "en";
          const t = PAGE_TEXT[language];
          const heading = t.heading(invoice.number ?? "", invoice.seller?.legalName ?? "");
          const message = result ? t[result.kind] : t.done;
          sendHtml(
            res,
            200,
            language,
            t.title,
            `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(message)}</p>`,
          );
        } catch (error) {
          if (!isDomainError(error)) throw error;
          notFound(res, error.userMessage);
        }
      },
    },
    {
      method: "POST",
      path: "/webhooks/stripe",
      maxBodyBytes: STRIPE_BODY_LIMIT,
      handler: async (req, res, _params, raw) => {
        let event: ReturnType<StripePayments["stripe"]["webhooks"]["constructEvent"]>;
        try {
          event = payments.stripe.webhooks.constructEvent(
            raw,
            header(req, "stripe-signature") ?? "",
            payments.webhookSecret,
          );
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          deps.logger.warn({ reason: message }, "Stripe webhook post refused");
          sendJson(res, 400, {
            error: "bad_signature",
            message: `The Stripe-Signature header does not verify with STRIPE_WEBHOOK_SECRET: ${message}`,
          });
          return;
        }
        try {
          const outcome = await recordStripeEvent(deps, event);
          // A SEPA debit takes days: reminders wait for it, and start again at once if it fails.
          if (outcome.outcome === "processing" || outcome.outcome === "failed") {
            // The verified event names the workspace and speaks for Stripe.
            const stripe = contextFor(deps, outcome.workspaceId, externalActor("stripe"));
            const { invoiceId, sessionId } = outcome;
            if (outcome.outcome === "processing")
              await holdForPayment(stripe, { invoiceId, source: "sepa_debit" });
            else await endPaymentHold(stripe, { invoiceId, reference: sessionId });
          }
          sendJson(res, 200, outcome);
        } catch (error) {
          if (!isDomainError(error)) throw error;
          // Stripe retries anything but a 2xx for days; what Cobro refuses now it would refuse then.
          deps.logger.error({ event: event.id, code: error.code }, error.message);
          sendJson(res, 200, { outcome: "refused", error: error.code, message: error.userMessage });
        }
      },
    },
  ];
}
