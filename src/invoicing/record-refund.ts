// Money paid back to a client for a credit note on a paid invoice: clears (part of) the refund due.
// Idempotent on the bank reference (else the day and amount), never more than is due, audited,
// all in one transaction with the original invoice locked so two refunds cannot both fit.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { DomainError, parseInput } from "../domain/errors.ts";
import { formatMoney, parseAmount } from "../domain/money.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import {
  findInvoice,
  findInvoiceByNumber,
  findRefundByDedupeKey,
  type InvoiceRow,
  insertRefund,
  refundsDueOfClient,
} from "./repo.ts";

export const RecordRefundInput = z.object({
  /** The credit note's number, as printed on it. */
  creditNote: z.string().trim().min(1).max(100),
  /** As typed ("150.00"), read in the credit note's currency. */
  amount: z.string().trim().min(1).max(40),
  paidOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date"),
  method: z.enum(["transfer", "card", "direct_debit", "cheque", "cash", "other"]).default("transfer"),
  reference: z.string().trim().min(1).max(200).optional(),
});
export type RecordRefundInput = z.input<typeof RecordRefundInput>;

/** The refund, in the credit note's currency, and what is still owed to the client on the credited invoice. */
export type RecordRefundResult = Pick<InvoiceRow, "currency"> & {
  creditNoteNumber: string;
  invoiceNumber: string;
  amountMinor: number;
  remainingMinor: number;
  alreadyDone: boolean;
};

export async function recordRefund(ctx: Ctx, rawInput: RecordRefundInput): Promise<RecordRefundResult> {
  assertAllowed(ctx.actor, { action: "collect" });
  const actor = auditActorOf(ctx.actor);
  const input = parseInput(RecordRefundInput, rawInput);
  const { workspaceId } = ctx;
  return ctx.db.transaction(async (tx) => {
    const note = await findInvoiceByNumber(tx, workspaceId, input.creditNote);
    if (note?.kind !== "credit_note" || !note.correctsInvoiceId) {
      throw new DomainError("refund.credit_note_not_found", `no credit note ${input.creditNote}`, {
        userMessage: `There is no credit note numbered "${input.creditNote}" in this workspace: give the credit note's number as printed on it (the one \`cobro invoice credit\` issued).`,
      });
    }
    // Locking the credited invoice serialises refunds on it, so two cannot both fit what is due.
    const original = await findInvoice(tx, workspaceId, note.correctsInvoiceId, true);
    if (!original) throw new Error(`credit note ${note.number} corrects an invoice that vanished`);
    const currency = note.currency.trim();
    const money = (minor: number) => formatMoney({ amountMinor: minor, currency }, "en");
    const amountMinor = parseAmount(input.amount, currency);
    if (amountMinor <= 0) {
      throw new DomainError("refund.amount", `refund ${amountMinor}`, {
        userMessage: `A refund is a positive amount paid back to the client, not "${input.amount}".`,
      });
    }
    const dueNow = async () =>
      (await refundsDueOfClient(tx, workspaceId, original.clientId, original.id))[0]?.refundDueMinor ?? 0;
    const done = {
      creditNoteNumber: note.number ?? input.creditNote,
      invoiceNumber: original.number ?? original.id,
      currency,
      amountMinor,
    };
    const dedupeKey = `refund:${original.id}:${input.reference ?? `${input.paidOn}:${amountMinor}`}`;
    const existing = await findRefundByDedupeKey(tx, workspaceId, dedupeKey);
    if (existing) {
      return {
        ...done,
        amountMinor: existing.amountMinor,
        remainingMinor: await dueNow(),
        alreadyDone: true,
      };
    }
    const due = await dueNow();
    if (due === 0) {
      throw new DomainError("refund.nothing_due", `nothing due on ${original.number}`, {
        userMessage: `Nothing is due back to the client on ${done.invoiceNumber} (credited by ${done.creditNoteNumber}): it was not paid beyond the corrected amount, or the refund was already recorded.`,
      });
    }
    if (amountMinor > due) {
      throw new DomainError("refund.exceeds_due", `refund ${amountMinor} > due ${due}`, {
        userMessage: `${money(amountMinor)} is more than the ${money(due)} due back to the client on ${done.invoiceNumber} (credited by ${done.creditNoteNumber}). Record at most ${money(due)}.`,
      });
    }
    const refund = await insertRefund(tx, {
      workspaceId,
      invoiceId: original.id,
      creditNoteId: note.id,
      amountMinor,
      currency,
      paidOn: input.paidOn,
      method: input.method,
      reference: input.reference ?? null,
      dedupeKey,
    });
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: "invoice.refund_paid",
      entity: "invoice",
      entityId: original.id,
      before: { refundDueMinor: due },
      after: {
        refundDueMinor: due - amountMinor,
        refundId: refund.id,
        creditNote: note.number,
        amountMinor,
        paidOn: input.paidOn,
        reference: input.reference ?? null,
      },
    });
    return { ...done, remainingMinor: due - amountMinor, alreadyDone: false };
  });
}
