// A payment from a client that names no invoice (one transfer for several invoices): applied to
// its open invoices in that currency, oldest due first, all in one transaction. Idempotent on the
// bank reference (else the day and amount): repeating it never applies the money twice.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { DomainError, parseInput } from "../domain/errors.ts";
import { parseTypedAmount } from "../domain/money.ts";
import { type Allocation, allocateOldestFirst } from "../domain/payment-allocation.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { recordPayment } from "./record-payment.ts";
import { findClientByReference, openInvoicesOfClient, paymentsByKeyPrefix } from "./repo.ts";

export const RecordClientPaymentInput = z.object({
  client: z.string().trim().min(1),
  /** As typed ("1234.56"), read in the currency's own decimals. */
  amount: z.string().trim().min(1).max(40),
  /** The client's currency when not given. */
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, "a currency code such as EUR")
    .optional(),
  paidOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date"),
  method: z.enum(["transfer", "card", "direct_debit", "cheque", "cash", "other"]).default("transfer"),
  reference: z.string().trim().min(1).max(200).optional(),
});
export type RecordClientPaymentInput = z.input<typeof RecordClientPaymentInput>;

export type RecordClientPaymentResult = {
  clientName: string;
  currency: string;
  allocations: Allocation[];
  alreadyDone: boolean;
};

export async function recordClientPayment(
  ctx: Ctx,
  rawInput: RecordClientPaymentInput,
): Promise<RecordClientPaymentResult> {
  assertAllowed(ctx.actor, { action: "collect" });
  const { workspaceId } = ctx;
  const input = parseInput(RecordClientPaymentInput, rawInput);
  const client = await findClientByReference(ctx.db, workspaceId, input.client);
  const currency = input.currency ?? client.currency.trim();
  const amountMinor = parseTypedAmount(input.amount, currency);
  const key = `client-payment:${client.id}:${input.reference ?? `${input.paidOn}:${currency}:${amountMinor}`}:`;
  const notices: string[] = [];
  const outcome = await ctx.db.transaction(async (tx) => {
    // The client's open invoices in that currency, locked: a concurrent payment waits for this one.
    const open = await openInvoicesOfClient(tx, workspaceId, client.id, { currency, lock: true });
    const applied = await paymentsByKeyPrefix(tx, workspaceId, key);
    if (applied.length > 0) return { allocations: [], alreadyDone: true };
    if (open.length === 0) {
      throw new DomainError("payment.nothing_open", `no open ${currency} invoice`, {
        userMessage: `${client.name} has no open invoice in ${currency}: nothing to apply the payment to.`,
        messageKey: "invoicing.error.payment_nothing_open",
        messageValues: { client: client.name, currency },
      });
    }
    const allocations = allocateOldestFirst(
      amountMinor,
      open.map((invoice) => ({ ...invoice, number: invoice.number ?? invoice.id })),
    );
    // Each part is an ordinary payment of its invoice (status, open amount, thread note, audit).
    const inTransaction = { ...ctx, db: tx, enqueue: async (ids: string[]) => void notices.push(...ids) };
    for (const part of allocations) {
      await recordPayment(inTransaction, {
        invoiceId: part.invoiceId,
        amountMinor: part.amountMinor,
        paidOn: input.paidOn,
        method: input.method,
        dedupeKey: `${key}${part.invoiceId}`,
        ...(input.reference ? { reference: input.reference } : {}),
      });
    }
    return { allocations, alreadyDone: false };
  });
  if (notices.length > 0) await ctx.enqueue(notices);
  return { clientName: client.name, currency, ...outcome };
}
