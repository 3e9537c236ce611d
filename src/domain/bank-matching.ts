// Deciding what a bank credit pays: only what is sure (invoice numbers in its text and the exact
// amount open) is paid; everything else is left with the reason a person needs to settle it.
import { toDecimalString } from "./money.ts";

export type MatchCandidate = {
  id: string;
  number: string;
  currency: string;
  openMinor: number;
  status: string;
};

export type BankMatch =
  | { kind: "paid"; allocations: { invoiceId: string; number: string; amountMinor: number }[] }
  | { kind: "unmatched"; reason: string };

/** Words of a remittance text that could be invoice numbers, upper-cased. */
export function invoiceNumberTokens(text: string): string[] {
  const tokens = text
    .toUpperCase()
    .split(/[\s,;:()[\]{}"'«»]+/)
    .map((t) => t.replace(/^[#.]+|[.]+$/g, ""))
    .filter((t) => t.length >= 2 && /\d/.test(t));
  return [...new Set(tokens)];
}

/** `found` are the workspace's invoices whose number appears in the line's text, in any state. */
export function matchBankLine(
  line: { amountMinor: number; currency: string },
  candidates: readonly MatchCandidate[],
): BankMatch {
  const found = [...candidates].sort((a, b) => a.number.localeCompare(b.number));
  const money = (minor: number) => `${toDecimalString(minor, line.currency)} ${line.currency}`;
  if (found.length === 0) return { kind: "unmatched", reason: "no invoice number found in the text" };
  const numbers = found.map((i) => i.number).join(", ");
  const otherCurrency = found.filter((i) => i.currency.trim() !== line.currency);
  if (otherCurrency.length > 0) {
    return {
      kind: "unmatched",
      reason: `${otherCurrency.map((i) => `${i.number} is in ${i.currency.trim()}`).join(", ")}, the credit in ${line.currency}`,
    };
  }
  const closed = found.filter((i) => i.openMinor <= 0 || !["issued", "partially_paid"].includes(i.status));
  if (closed.length > 0) {
    return {
      kind: "unmatched",
      reason: `${closed.map((i) => `${i.number} is ${i.status.replace("_", " ")}`).join(", ")}: nothing open to pay`,
    };
  }
  const open = found.reduce((sum, i) => sum + i.openMinor, 0);
  if (open !== line.amountMinor) {
    const what = found.length === 1 ? `on ${numbers}` : `on ${numbers} together`;
    return {
      kind: "unmatched",
      reason: `amount differs from what is open: ${money(line.amountMinor)} received, ${money(open)} open ${what}`,
    };
  }
  return {
    kind: "paid",
    allocations: found.map((i) => ({ invoiceId: i.id, number: i.number, amountMinor: i.openMinor })),
  };
}
