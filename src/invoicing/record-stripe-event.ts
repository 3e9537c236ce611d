// A verified Stripe event about a pay-link Checkout session: the payment is recorded once (its
// dedupe key is the Stripe payment), through recordPayment, so the invoice's thread hears of it.
import type Stripe from "stripe";
import { z } from "zod";
import { contextFor, type ServiceDeps } from "../context.ts";
import { DomainError, isDomainError } from "../domain/errors.ts";
import { externalActor } from "../domain/permissions.ts";
import { recordPayment } from "./record-payment.ts";
import { notifyInvoiceEvent } from "./repo.ts";

export type StripeEventOutcome =
  | { outcome: "recorded" | "already_recorded"; invoiceId: string; paymentId: string }
  | { outcome: "processing" | "failed"; invoiceId: string; workspaceId: string; sessionId: string }
  | { outcome: "ignored"; reason: string }
  | { outcome: "unapplied"; invoiceId: string; reason: string };

/** Refusals of recordPayment that money already taken by Stripe can meet (paid or credited meanwhile). */
const UNAPPLIABLE = new Set(["payment.overpayment", "invoice.state"]);

const PayLinkMetadata = z.object({ invoice_id: z.uuid(), workspace_id: z.uuid() });

/**
 * Stripe acts (the webhook's signature was checked before): the event names the workspace, so the
 * ctx of the payment is made here, as Stripe, once the event is read.
 */
export async function recordStripeEvent(deps: ServiceDeps, event: Stripe.Event): Promise<StripeEventOutcome> {
  switch (event.type) {
    case "checkout.session.completed":
      // Cards are paid at completion; a SEPA debit completes unpaid and settles days later.
      return event.data.object.payment_status === "paid"
        ? record(deps, event, event.data.object, "card")
        : { outcome: "processing", ...invoiceOf(event.data.object), sessionId: event.data.object.id };
    case "checkout.session.async_payment_succeeded":
      return record(deps, event, event.data.object, "direct_debit");
    case "checkout.session.async_payment_failed":
      return { outcome: "failed", ...invoiceOf(event.data.object), sessionId: event.data.object.id };
    default:
      return { outcome: "ignored", reason: `Cobro does not act on ${event.type}` };
  }
}

function invoiceOf(session: Stripe.Checkout.Session): { invoiceId: string; workspaceId: string } {
  const parsed = PayLinkMetadata.safeParse(session.metadata ?? {});
  if (!parsed.success) {
    throw new DomainError("stripe.not_ours", `session ${session.id} has no Cobro invoice metadata`, {
      userMessage: `Checkout session ${session.id} was not opened from a Cobro pay link (no invoice_id/workspace_id in its metadata).`,
    });
  }
  return { invoiceId: parsed.data.invoice_id, workspaceId: parsed.data.workspace_id };
}

async function record(
  deps: ServiceDeps,
  event: Stripe.Event,
  session: Stripe.Checkout.Session,
  method: "card" | "direct_debit",
): Promise<StripeEventOutcome> {
  const { invoiceId, workspaceId } = invoiceOf(session);
  if (session.amount_total === null || session.amount_total <= 0) {
    throw new DomainError("stripe.no_amount", `session ${session.id} has no amount`, {
      userMessage: `Checkout session ${session.id} carries no amount to record.`,
    });
  }
  const paymentIntent =
    typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent?.id;
  const stripeReference = paymentIntent ?? session.id;
  let recorded: Awaited<ReturnType<typeof recordPayment>>;
  try {
    recorded = await recordPayment(contextFor(deps, workspaceId, externalActor("stripe")), {
      invoiceId,
      amountMinor: session.amount_total,
      paidOn: new Date(event.created * 1000).toISOString().slice(0, 10),
      method,
      reference: `Stripe ${stripeReference}`,
      // The Stripe payment, not the event: completed, its async success and any replay are one payment.
      dedupeKey: `stripe:${stripeReference}`,
    });
  } catch (error) {
    if (!isDomainError(error) || !UNAPPLIABLE.has(error.code)) throw error;
    // The client's money is taken: people must hand it back or apply it, so the thread hears once.
    const notice = await notifyInvoiceEvent(deps.db, {
      workspaceId,
      invoiceId,
      event: "online_payment_unapplied",
      occurrence: stripeReference,
      actor: "stripe",
      detail: { amountMinor: session.amount_total, reference: stripeReference, reason: error.userMessage },
    });
    if (notice) await deps.enqueue([notice]);
    deps.logger.error(
      { invoiceId, stripe: stripeReference, code: error.code },
      "online payment not recorded",
    );
    return { outcome: "unapplied", invoiceId, reason: error.userMessage };
  }
  const { payment, alreadyDone } = recorded;
  return { outcome: alreadyDone ? "already_recorded" : "recorded", invoiceId, paymentId: payment.id };
}
