// A bank statement file in: every credit stored once, then matched in batches. Sure matches are
// paid through recordPayment (so thread notes and claims happen as with `cobro pay`), doubtful ones
// wait on a card in the collections channel, the rest wait in the collectors' App Home with the reason.
import { createHash } from "node:crypto";
import type { Ctx } from "../context.ts";
import { claimDelivery } from "../delivery/index.ts";
import {
  afterSpent,
  type BankMatch,
  type BankReason,
  type FeeTolerance,
  matchBankLine,
  parseFeeTolerance,
} from "../domain/bank-matching.ts";
import { type BankFormat, bankLineKeys, parseBankStatement } from "../domain/bank-statement.ts";
import { DomainError } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { DEFAULT_LOCALE, type Locale } from "../i18n/index.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import {
  type BankLineChange,
  type BankLineRow,
  findBankLine,
  settlePendingBankLine,
  storeBankLines,
} from "./bank-lines-repo.ts";
import { loadClientNameIndex, loadMatchContexts } from "./bank-match-repo.ts";
import { payFromBankLine } from "./pay-from-bank-line.ts";

export const BANK_SUGGESTION_PAYLOAD = "bank_suggestion";

export type ImportBankStatementInput = {
  bytes: Uint8Array;
  /** Named in messages. */
  fileName: string;
};

export type BankLineReport = {
  fileLine: number;
  bookedOn: string;
  amountMinor: number;
  currency: string;
  text: string;
  payerName: string | null;
  outcome: "paid" | "suggested" | "unmatched" | "dismissed";
  /** Why it was paid, suggested or left: a code and its values, for the reader's language. */
  reason: BankReason | null;
  overpaidMinor: number;
  paid: { invoiceId: string; number: string; amountMinor: number }[];
  /** Imported before: nothing was done with it this time. */
  alreadyImported: boolean;
};

export type ImportBankStatementResult = { format: BankFormat; lines: BankLineReport[]; skipped: number };

const MAX_PROBLEMS_SHOWN = 50;
// Lines matched per round of context queries: large files stay a few queries per thousand lines.
const MATCH_BATCH = 1000;

export async function importBankStatement(
  ctx: Ctx,
  input: ImportBankStatementInput,
): Promise<ImportBankStatementResult> {
  assertAllowed(ctx.actor, { action: "collect" });
  const parsed = parseBankStatement(input.bytes);
  if (!parsed.ok) {
    const shown = parsed.problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => `  line ${p.line}: ${p.message}`);
    const more = parsed.problems.length - shown.length;
    throw new DomainError("bank.malformed", `${input.fileName}: ${parsed.problems.length} problem(s)`, {
      userMessage: [
        `${input.fileName}: ${parsed.problems.length} problem(s), nothing was recorded:`,
        ...shown,
        ...(more > 0 ? [`  … and ${more} more`] : []),
      ].join("\n"),
    });
  }
  const { workspaceId } = ctx;
  const keys = bankLineKeys(parsed.lines, (text) => createHash("sha256").update(text).digest("hex"));
  const values = parsed.lines.map((line, i) => ({
    workspaceId,
    dedupeKey: keys[i] as string,
    format: parsed.format,
    account: line.account,
    bookedOn: line.bookedOn,
    amountMinor: line.amountMinor,
    currency: line.currency,
    bankRef: line.bankRef,
    text: line.text,
    payerName: line.payerName,
    payerIban: line.payerIban,
  }));
  const rows = await storeBankLines(ctx.db, workspaceId, values, keys);
  const settled = await settlePending(
    ctx,
    [...rows.values()].filter((r) => r.outcome === "pending"),
  );
  const lines: BankLineReport[] = [];
  for (const [i, line] of parsed.lines.entries()) {
    const row = rows.get(keys[i] as string);
    if (!row) throw new Error(`bank line ${keys[i]} was not stored`);
    const now = settled.get(row.id) ?? row;
    lines.push({
      fileLine: line.fileLine,
      bookedOn: row.bookedOn,
      amountMinor: row.amountMinor,
      currency: row.currency.trim(),
      text: row.text,
      payerName: row.payerName,
      outcome: now.outcome === "pending" ? "unmatched" : now.outcome,
      reason: now.reason,
      overpaidMinor: now.overpaidMinor,
      paid: now.paid ?? [],
      alreadyImported: row.outcome !== "pending",
    });
  }
  return { format: parsed.format, lines, skipped: parsed.skipped };
}

async function settlePending(ctx: Ctx, pending: BankLineRow[]): Promise<Map<string, BankLineRow>> {
  const { workspaceId } = ctx;
  const settled = new Map<string, BankLineRow>();
  if (pending.length === 0) return settled;
  const workspace = await findWorkspaceById(ctx.db, workspaceId);
  const tolerance = feeTolerance(workspace?.settings.bankFeeTolerance);
  const channel = workspace?.collectionsChannelId ?? null;
  const locale = workspace?.locale ?? DEFAULT_LOCALE;
  const cards: string[] = [];
  const clientNames = await loadClientNameIndex(ctx.db, workspaceId);
  for (let start = 0; start < pending.length; start += MATCH_BATCH) {
    const batch = pending.slice(start, start + MATCH_BATCH);
    const contexts = await loadMatchContexts(ctx.db, workspaceId, batch, tolerance, clientNames);
    // What earlier lines of this batch paid: the contexts were read before them.
    const spent = new Map<string, number>();
    for (const row of batch) {
      const context = contexts.get(row.id);
      if (!context) throw new Error(`no match context for bank line ${row.id}`);
      const match = matchBankLine(
        { amountMinor: row.amountMinor, currency: row.currency.trim(), payerName: row.payerName },
        afterSpent(context, spent),
      );
      const { row: done, card } = await settleLine(ctx, row, match, { channel, locale });
      if (match.kind === "paid" && done.outcome === "paid") {
        for (const a of [...match.plan.allocations, ...(match.plan.writeOff ? [match.plan.writeOff] : [])])
          spent.set(a.invoiceId, (spent.get(a.invoiceId) ?? 0) + a.amountMinor);
      }
      settled.set(row.id, done);
      if (card) cards.push(card);
    }
  }
  if (cards.length > 0) await ctx.enqueue(cards);
  return settled;
}

function feeTolerance(setting: string | undefined): FeeTolerance | null {
  return setting ? parseFeeTolerance(setting) : null;
}

async function settleLine(
  ctx: Ctx,
  row: BankLineRow,
  match: BankMatch,
  workspace: { channel: string | null; locale: Locale },
): Promise<{ row: BankLineRow; card: string | null }> {
  const { channel, locale } = workspace;
  const actor = auditActorOf(ctx.actor);
  let change: BankLineChange;
  if (match.kind === "paid") {
    const result = await payFromBankLine(ctx, { row, plan: match.plan, locale });
    change = result.ok
      ? { outcome: "paid", reason: match.why, paid: result.paid, overpaidMinor: match.plan.overpaidMinor }
      : { outcome: "unmatched", reason: result.refusal, paid: result.paid };
  } else if (match.kind === "suggested") {
    change = {
      outcome: "suggested",
      reason: match.why,
      suggestion: { plan: match.plan, candidates: match.candidates },
    };
  } else {
    change = { outcome: "unmatched", reason: match.reason, paid: [] };
  }
  // Only a line still pending takes this outcome: an import running beside this one may have
  // settled it first (its payments made the invoices look already paid here).
  return ctx.db.transaction(async (tx) => {
    const updated = await settlePendingBankLine(tx, row.id, {
      ...change,
      settledBy: actor,
      updatedAt: ctx.now(),
    });
    if (!updated) {
      const other = await findBankLine(tx, row.workspaceId, row.id);
      if (!other) throw new Error(`bank line ${row.id} vanished`);
      return { row: other, card: null };
    }
    const card =
      updated.outcome === "suggested" && channel
        ? await claimDelivery(tx, {
            workspaceId: row.workspaceId,
            kind: "slack_message",
            dedupeKey: `bank-suggestion:${row.id}`,
            payload: { type: BANK_SUGGESTION_PAYLOAD, bankLineId: row.id, channel },
          })
        : null;
    return { row: updated, card };
  });
}
