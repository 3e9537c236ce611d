// Records what a bank line pays through the payment service (so invoice status, thread notes and
// stopped reminders follow as with `cobro pay`), writes off a fee shortfall, and remembers the
// payer's IBAN for the client once the match is confirmed.
import type { Ctx, ServiceDeps } from "../context.ts";
import { type Allocation, type BankReason, bankReason, type MatchPlan } from "../domain/bank-matching.ts";
import { isDomainError } from "../domain/errors.ts";
import type { Locale } from "../i18n/index.ts";
import { recordPayment } from "../invoicing/index.ts";
import { type BankLineRow, findClientsOfInvoices, rememberClientBankAccount } from "./bank-lines-repo.ts";
import { bankReasonText } from "./bank-reason-text.ts";

export type BankPayResult = { ok: boolean; paid: Allocation[]; refusal: BankReason | null };

/**
 * A step of importing or confirming a bank line: the caller checked the collect right. `locale`:
 * the workspace's, in which a fee write-off's reference (the payment's words) is written.
 */
export async function payFromBankLine(
  ctx: Ctx,
  input: { row: BankLineRow; plan: MatchPlan; locale: Locale },
): Promise<BankPayResult> {
  const { row, plan } = input;
  const paid: Allocation[] = [];
  const steps = [
    ...plan.allocations.map((a) => ({ ...a, method: "transfer" as const, key: "bank-line", note: null })),
    ...(plan.writeOff
      ? [
          {
            ...plan.writeOff,
            method: "write_off" as const,
            key: "bank-fee",
            note: bankReasonText(plan.writeOff.reason, input.locale),
          },
        ]
      : []),
  ];
  for (const step of steps) {
    try {
      await recordPayment(ctx, {
        invoiceId: step.invoiceId,
        amountMinor: step.amountMinor,
        paidOn: row.bookedOn,
        method: step.method,
        reference: (step.note ?? row.bankRef ?? row.text).slice(0, 200) || undefined,
        // Per line and invoice: a line re-matched after a crash never pays twice.
        dedupeKey: `${step.key}:${row.id}:${step.invoiceId}`,
      });
      if (step.method === "transfer") paid.push(step);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const refusal = bankReason("refused", {
        paid: paid.map((p) => p.number),
        number: step.number,
        error: {
          code: error.code,
          message: error.userMessage,
          messageKey: error.messageKey ?? null,
          messageValues: error.messageValues,
        },
      });
      return { ok: false, paid, refusal };
    }
  }
  await learnPayerIban(ctx, row, paid);
  return { ok: true, paid, refusal: null };
}

// Only an IBAN that paid invoices of one client is learned: a shared account would mislead.
async function learnPayerIban(deps: ServiceDeps, row: BankLineRow, paid: Allocation[]) {
  if (!row.payerIban || paid.length === 0) return;
  const owners = await findClientsOfInvoices(
    deps.db,
    row.workspaceId,
    paid.map((p) => p.invoiceId),
  );
  const [owner] = owners;
  if (owners.length !== 1 || !owner) return;
  await rememberClientBankAccount(deps.db, {
    workspaceId: row.workspaceId,
    clientId: owner,
    iban: row.payerIban,
    learnedFromLineId: row.id,
  });
}
