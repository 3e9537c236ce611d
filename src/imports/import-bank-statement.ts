// A bank statement file in: every credit stored once, sure matches paid through recordPayment (so
// thread notes and claims happen as with `cobro pay`), the rest left with the reason.
import { createHash } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { type BankLineRow, bankLines, invoices } from "../db/schema/index.ts";
import { type BankMatch, invoiceNumberTokens, matchBankLine } from "../domain/bank-matching.ts";
import { type BankFormat, bankLineKeys, parseBankStatement } from "../domain/bank-statement.ts";
import { DomainError, isDomainError } from "../domain/errors.ts";
import { recordPayment } from "../invoicing/index.ts";

export type ImportBankStatementInput = {
  workspaceId: string;
  bytes: Uint8Array;
  /** Named in messages. */
  fileName: string;
  actor?: string;
};

export type BankLineReport = {
  fileLine: number;
  bookedOn: string;
  amountMinor: number;
  currency: string;
  text: string;
  payerName: string | null;
  outcome: "paid" | "unmatched";
  reason: string | null;
  paid: { invoiceId: string; number: string; amountMinor: number }[];
  /** Imported before: nothing was done with it this time. */
  alreadyImported: boolean;
};

export type ImportBankStatementResult = { format: BankFormat; lines: BankLineReport[]; skipped: number };

const MAX_PROBLEMS_SHOWN = 50;

export async function importBankStatement(
  deps: ServiceDeps,
  input: ImportBankStatementInput,
): Promise<ImportBankStatementResult> {
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
  const { workspaceId } = input;
  const keys = bankLineKeys(parsed.lines, (text) => createHash("sha256").update(text).digest("hex"));
  const rows = await deps.db.transaction(async (tx) => {
    if (parsed.lines.length > 0) {
      await tx
        .insert(bankLines)
        .values(
          parsed.lines.map((line, i) => ({
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
          })),
        )
        .onConflictDoNothing();
    }
    const stored = keys.length
      ? await tx
          .select()
          .from(bankLines)
          .where(and(eq(bankLines.workspaceId, workspaceId), inArray(bankLines.dedupeKey, keys)))
      : [];
    return new Map(stored.map((row) => [row.dedupeKey, row]));
  });
  const lines: BankLineReport[] = [];
  for (const [i, line] of parsed.lines.entries()) {
    const row = rows.get(keys[i] as string);
    if (!row) throw new Error(`bank line ${keys[i]} was not stored`);
    const settled =
      row.outcome === "pending" ? await settleLine(deps, row, input.actor ?? "bank-import") : row;
    lines.push({
      fileLine: line.fileLine,
      bookedOn: row.bookedOn,
      amountMinor: row.amountMinor,
      currency: row.currency.trim(),
      text: row.text,
      payerName: row.payerName,
      outcome: settled.outcome === "paid" ? "paid" : "unmatched",
      reason: settled.reason,
      paid: settled.paid ?? [],
      alreadyImported: row.outcome !== "pending",
    });
  }
  return { format: parsed.format, lines, skipped: parsed.skipped };
}

async function settleLine(deps: ServiceDeps, row: BankLineRow, actor: string): Promise<BankLineRow> {
  const tokens = invoiceNumberTokens(row.text);
  const found = tokens.length
    ? await deps.db
        .select({
          id: invoices.id,
          number: sql<string>`${invoices.number}`,
          currency: invoices.currency,
          openMinor: invoices.openMinor,
          status: invoices.status,
        })
        .from(invoices)
        .where(
          and(eq(invoices.workspaceId, row.workspaceId), inArray(sql`upper(${invoices.number})`, tokens)),
        )
    : [];
  const match = matchBankLine({ amountMinor: row.amountMinor, currency: row.currency.trim() }, found);
  const { outcome, reason, paid } = await applyMatch(deps, row, match, actor);
  // Only a line still pending takes this outcome: an import running beside this one may have
  // settled it first (its payments made the invoices look already paid here).
  const [updated] = await deps.db
    .update(bankLines)
    .set({ outcome, reason, paid, updatedAt: deps.now() })
    .where(and(eq(bankLines.id, row.id), eq(bankLines.outcome, "pending")))
    .returning();
  if (updated) return updated;
  const [settled] = await deps.db.select().from(bankLines).where(eq(bankLines.id, row.id));
  if (!settled) throw new Error(`bank line ${row.id} vanished`);
  return settled;
}

async function applyMatch(deps: ServiceDeps, row: BankLineRow, match: BankMatch, actor: string) {
  if (match.kind === "unmatched") return { outcome: "unmatched" as const, reason: match.reason, paid: [] };
  const paid: BankLineReport["paid"] = [];
  for (const allocation of match.allocations) {
    try {
      await recordPayment(deps, {
        workspaceId: row.workspaceId,
        invoiceId: allocation.invoiceId,
        amountMinor: allocation.amountMinor,
        paidOn: row.bookedOn,
        method: "transfer",
        reference: (row.bankRef ?? row.text).slice(0, 200) || undefined,
        // Per line and invoice: a line re-matched after a crash never pays twice.
        dedupeKey: `bank-line:${row.id}:${allocation.invoiceId}`,
        actor,
      });
      paid.push(allocation);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const done = paid.length > 0 ? `paid ${paid.map((p) => p.number).join(", ")}; ` : "";
      return {
        outcome: "unmatched" as const,
        reason: `${done}${allocation.number} refused: ${error.userMessage}`,
        paid,
      };
    }
  }
  return { outcome: "paid" as const, reason: null, paid };
}
