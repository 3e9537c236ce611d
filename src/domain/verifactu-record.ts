// What a VERI*FACTU record says about its amounts: in euros at the issue's rate, negative on a
// rectificativa por diferencias, and read back from the hashed input for the QR code.
import { DomainError } from "./errors.ts";
import { convert, parseAmount } from "./money.ts";
import { type VerifactuSeller, verifactuScope, verificationUrl } from "./verifactu.ts";

/** The stored record's fields these read (a verifactu_records row). */
type StoredRecord = { hashInput: string; issuerNif: string; seriesNumber: string; issueDate: string };

/** VERI*FACTU applies to invoices issued by a Spanish seller in its scope (see verifactuScope). */
export function verifactuApplies(seller: VerifactuSeller | null | undefined): boolean {
  return verifactuScope(seller).applies;
}

/**
 * An amount as the AEAT records it: in euros, converted at the rate of the invoice's issue, and
 * negative on a credit note (a rectificativa "por diferencias" that reduces what was invoiced).
 */
export function signedInEuros(
  invoice: {
    kind: string;
    currency: string;
    eurRate?: string | undefined;
    rectificationType?: "I" | "S" | null | undefined;
  },
  amountMinor: number,
): number {
  // A rectificativa por sustitución states the corrected amounts, positive like an invoice.
  const sign = invoice.kind === "credit_note" && invoice.rectificationType !== "S" ? -1 : 1;
  if (invoice.currency === "EUR") return sign * amountMinor;
  if (!invoice.eurRate) throw noEuroRate(invoice.currency);
  return sign * convert(amountMinor, invoice.currency, "EUR", invoice.eurRate);
}

export function noEuroRate(currency: string): DomainError {
  return new DomainError("verifactu.no_euro_rate", `no EUR rate for a ${currency} invoice`, {
    userMessage: `Spanish invoices in ${currency} need a ${currency} → EUR exchange rate on the issue date (VERI*FACTU records amounts in euros): set the workspace base currency to EUR and add the rate.`,
  });
}

/** The QR URL of a stored record: its amounts are those hashed (in euros), read back from the input. */
export function verifactuQrUrlOf(record: StoredRecord): string {
  const total = /(?:^|&)ImporteTotal=(-?\d+(?:\.\d+)?)(?:&|$)/.exec(record.hashInput)?.[1] ?? "0";
  return verificationUrl({
    issuerNif: record.issuerNif,
    seriesNumber: record.seriesNumber,
    issueDate: record.issueDate,
    totalMinor: parseAmount(total, "EUR"),
    currency: "EUR",
  });
}

/** Whether the record states a negative total (a rectificativa por diferencias that reduces). */
export function verifactuRecordIsNegative(record: StoredRecord): boolean {
  return /(?:^|&)ImporteTotal=-/.test(record.hashInput);
}
