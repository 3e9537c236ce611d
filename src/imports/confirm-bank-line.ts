// Confirm (the suggestion) or Pick another (one invoice) on a bank credit Cobro was not sure of:
// the line is claimed first, so two clicks never pay twice, then paid like a sure match.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import {
  type BankReason,
  bankReason,
  fitAmount,
  type MatchPlan,
  parseFeeTolerance,
} from "../domain/bank-matching.ts";
import { DomainError, parseInput, present } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { DEFAULT_LOCALE } from "../i18n/index.ts";
import { findInvoice } from "../invoicing/index.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import { changeWaitingBankLine, findBankLine, updateBankLine } from "./bank-lines-repo.ts";
import { bankReasonText } from "./bank-reason-text.ts";
import { payFromBankLine } from "./pay-from-bank-line.ts";

export const ConfirmBankLineInput = z.object({
  bankLineId: z.uuid(),
  /** Pick another: pay this invoice instead of the suggestion. */
  invoiceId: z.uuid().optional(),
  /** Confirmed on its card in Slack: the line's reason says "a collector in Slack", else names the audit actor. */
  via: z.literal("slack").optional(),
});
export type ConfirmBankLineInput = z.input<typeof ConfirmBankLineInput>;

const WAITING = ["suggested", "unmatched"] as const;

export async function confirmBankLine(
  ctx: Ctx,
  rawInput: ConfirmBankLineInput,
): Promise<{ outcome: BankReason; alreadyDone: boolean }> {
  assertAllowed(ctx.actor, { action: "collect" });
  const input = parseInput(ConfirmBankLineInput, rawInput);
  const actor = auditActorOf(ctx.actor);
  const line = await findBankLine(ctx.db, ctx.workspaceId, input.bankLineId);
  if (!line) {
    throw new DomainError("bank.line_not_found", `bank line ${input.bankLineId}`, {
      userMessage: "This bank credit is no longer in Cobro.",
    });
  }
  if (!(WAITING as readonly string[]).includes(line.outcome)) {
    return { outcome: line.reason ?? bankReason("status", { outcome: line.outcome }), alreadyDone: true };
  }
  const currency = line.currency.trim();
  const workspace = await findWorkspaceById(ctx.db, ctx.workspaceId);
  let plan: MatchPlan;
  if (input.invoiceId) {
    const invoice = await findInvoice(ctx.db, ctx.workspaceId, input.invoiceId);
    if (!invoice?.number) {
      throw new DomainError("bank.invoice_not_found", `invoice ${input.invoiceId}`, {
        userMessage: "That invoice is no longer in Cobro: pick another.",
      });
    }
    if (invoice.currency.trim() !== currency) {
      throw new DomainError("bank.currency", `${invoice.currency} vs ${currency}`, {
        userMessage: `${invoice.number} is in ${invoice.currency.trim()}, the credit in ${currency}: pick another.`,
      });
    }
    if (invoice.openMinor <= 0 || !["issued", "partially_paid"].includes(invoice.status)) {
      throw new DomainError("bank.invoice_closed", `invoice ${invoice.id} is ${invoice.status}`, {
        userMessage: `${invoice.number} has nothing open to pay (${invoice.status.replace("_", " ")}): pick another.`,
      });
    }
    const setting = workspace?.settings.bankFeeTolerance;
    plan = fitAmount(
      line.amountMinor,
      [{ ...invoice, number: invoice.number, dueDate: invoice.dueDate ?? "" }],
      currency,
      setting ? parseFeeTolerance(setting) : null,
    );
  } else if (line.suggestion) {
    plan = line.suggestion.plan;
  } else {
    throw new DomainError("bank.nothing_suggested", `bank line ${line.id}`, {
      userMessage: "Cobro suggested no invoice for this credit: pick one.",
    });
  }
  // Claimed first: a second click finds the line no longer waiting.
  const claimed = await changeWaitingBankLine(ctx.db, ctx.workspaceId, line.id, {
    outcome: "paid",
    settledBy: actor,
    updatedAt: ctx.now(),
  });
  if (!claimed) return { outcome: bankReason("settled_elsewhere", {}), alreadyDone: true };
  const locale = workspace?.locale ?? DEFAULT_LOCALE;
  const result = await payFromBankLine(ctx, { row: line, plan, locale });
  const outcome = result.ok
    ? bankReason("confirmed", {
        paid: result.paid.map((p) => p.number),
        fee: plan.writeOff?.reason ?? null,
        overpaid: plan.overpaidMinor > 0,
        by: input.via === "slack" ? "slack" : "actor",
        actor,
      })
    : present(result.refusal, "the refusal of a bank payment");
  await updateBankLine(
    ctx.db,
    line.id,
    result.ok
      ? { reason: outcome, paid: result.paid, overpaidMinor: plan.overpaidMinor, updatedAt: ctx.now() }
      : { outcome: line.outcome, reason: outcome, paid: result.paid, updatedAt: ctx.now() },
  );
  if (!result.ok) {
    const said = bankReasonText(outcome, locale);
    throw new DomainError("bank.payment_refused", said, {
      userMessage: `Nothing more was paid: ${bankReasonText(outcome, DEFAULT_LOCALE)}`,
      messageKey: "imports.card.nothing_more_paid",
      messageValues: { reason: said },
    });
  }
  return { outcome, alreadyDone: false };
}
