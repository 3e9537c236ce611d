// Records a full or partial payment; the invoice's open amount and status follow in the same
// transaction. Idempotent on the payment's dedupe key.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { DomainError, parseInput } from "../domain/errors.ts";
import { invoiceNotFound, settlementStatus, transitionInvoice } from "../domain/invoice-state.ts";
import { formatMoney, parseTypedAmount } from "../domain/money.ts";
import { assertAllowed, auditActorOf, memberIdOf } from "../domain/permissions.ts";
import {
  findInvoice,
  findPaymentByDedupeKey,
  type InvoiceRow,
  insertPayment,
  notifyInvoiceEvent,
  type PaymentRow,
  resettleInvoice,
} from "./repo.ts";

export const RecordPaymentInput = z
  .object({
    invoiceId: z.uuid(),
    amountMinor: z.number().int().safe().positive().optional(),
    /** The amount as typed ("1234.56", "150000" for JPY), read in the invoice's own currency. */
    amount: z.string().trim().max(40).optional(),
    paidOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date"),
    // write_off: a small shortfall (bank fees) settled without money, with its reason as the reference.
    method: z
      .enum(["transfer", "card", "direct_debit", "cheque", "cash", "other", "write_off"])
      .default("transfer"),
    reference: z.string().trim().max(200).optional(),
    /** Natural key of this payment (bank transaction id…); defaults to invoice + day + amount + reference. */
    dedupeKey: z.string().trim().min(1).max(300).optional(),
  })
  .refine((v) => (v.amountMinor === undefined) !== (v.amount === undefined), {
    message: "give the amount either in minor units or as text",
    path: ["amount"],
  });
export type RecordPaymentInput = z.input<typeof RecordPaymentInput>;

export type RecordPaymentResult = { payment: PaymentRow; invoice: InvoiceRow; alreadyDone: boolean };

export async function recordPayment(ctx: Ctx, rawInput: RecordPaymentInput): Promise<RecordPaymentResult> {
  assertAllowed(
    ctx.actor,
    ctx.actor.kind === "external" ? { action: "recordPaymentEvent" } : { action: "collect" },
  );
  const actor = auditActorOf(ctx.actor);
  const input = parseInput(RecordPaymentInput, rawInput);
  const { workspaceId } = ctx;
  const result = await ctx.db.transaction(async (tx) => {
    // Locking the invoice first serialises payments on it, so two cannot both fit the open amount.
    const invoice = await findInvoice(tx, workspaceId, input.invoiceId, true);
    if (!invoice) {
      throw invoiceNotFound();
    }
    // Only the invoice knows how many decimals its currency has (JPY 0, EUR 2, KWD 3).
    const amountMinor = input.amountMinor ?? amountInCurrency(input.amount ?? "", invoice.currency);
    const dedupeKey =
      input.dedupeKey ?? `payment:${input.invoiceId}:${input.paidOn}:${amountMinor}:${input.reference ?? ""}`;
    const existing = await findPaymentByDedupeKey(tx, workspaceId, dedupeKey);
    if (existing) return { payment: existing, invoice, alreadyDone: true, notices: [] as string[] };
    transitionInvoice(invoice.status, "pay");
    if (input.paidOn > new Date(ctx.now().getTime() + 86_400_000).toISOString().slice(0, 10)) {
      throw new DomainError("payment.future", `payment dated ${input.paidOn}`, {
        userMessage: `A payment cannot be dated in the future (${input.paidOn}).`,
        messageKey: "invoicing.error.payment_future",
        messageValues: { paidOn: Date.parse(`${input.paidOn}T00:00:00Z`) },
      });
    }
    const money = (minor: number) => formatMoney({ amountMinor: minor, currency: invoice.currency }, "en");
    if (amountMinor > invoice.openMinor) {
      throw new DomainError("payment.overpayment", `payment ${amountMinor} > open ${invoice.openMinor}`, {
        userMessage: `${money(amountMinor)} is more than the ${money(invoice.openMinor)} still open on invoice ${invoice.number}. Record at most the open amount (an overpayment is a refund or a credit to handle separately).`,
        field: "amountMinor",
        messageKey: "invoicing.error.overpayment",
        messageValues: {
          amountMinor,
          openMinor: invoice.openMinor,
          currency: invoice.currency,
          number: invoice.number ?? "",
        },
      });
    }
    const payment = await insertPayment(tx, {
      workspaceId,
      invoiceId: invoice.id,
      amountMinor: amountMinor,
      currency: invoice.currency,
      paidOn: input.paidOn,
      method: input.method,
      reference: input.reference ?? null,
      dedupeKey,
      recordedByMemberId: memberIdOf(ctx.actor),
    });
    const { next, updated } = await resettleInvoice(tx, invoice, settlementStatus, ctx.now());
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: "invoice.payment_recorded",
      entity: "invoice",
      entityId: invoice.id,
      before: { status: invoice.status, openMinor: invoice.openMinor },
      after: {
        status: next.status,
        openMinor: next.openMinor,
        paymentId: payment.id,
        amountMinor: amountMinor,
      },
    });
    const notices = [
      await notifyInvoiceEvent(tx, {
        workspaceId,
        invoiceId: invoice.id,
        event: "payment_recorded",
        occurrence: payment.id,
        actor,
        detail: {
          amountMinor: amountMinor,
          currency: invoice.currency,
          openMinor: next.openMinor,
          paidOn: input.paidOn,
        },
      }),
      next.status === "paid"
        ? await notifyInvoiceEvent(tx, {
            workspaceId,
            invoiceId: invoice.id,
            event: "paid",
            actor,
          })
        : null,
    ].filter((id): id is string => !!id);
    return { payment, invoice: updated, alreadyDone: false, notices };
  });
  const { notices, ...rest } = result;
  if (notices.length > 0) await ctx.enqueue(notices);
  return rest;
}

function amountInCurrency(text: string, currency: string): number {
  let amountMinor: number;
  try {
    amountMinor = parseTypedAmount(text, currency);
  } catch (error) {
    if (error instanceof DomainError) {
      const { userMessage, messageKey, messageValues } = error;
      throw new DomainError(error.code, error.message, {
        userMessage,
        field: "amount",
        ...(messageKey ? { messageKey, messageValues } : {}),
      });
    }
    throw error;
  }
  if (amountMinor <= 0) {
    throw new DomainError("payment.not_positive", `payment amount ${text}`, {
      userMessage: `A payment must be more than zero (you wrote "${text}").`,
      field: "amount",
      messageKey: "invoicing.error.payment_not_positive",
      messageValues: { text },
    });
  }
  return amountMinor;
}
