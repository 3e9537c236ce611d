// What a payer needs to pay an invoice by SEPA credit transfer: its structured creditor reference
// and the QR code their banking app reads to fill the transfer. Pure.

// ISO 11649 structured creditor references ("RF" + two check digits + up to 21 letters or digits):
// the payer's bank carries them in camt's <CdtrRefInf><Ref>, and a typo in them is caught by mod 97.
import { DomainError } from "./errors.ts";

const MAX_BODY = 21;

/** The reference's body for an invoice number: its letters and digits, upper-cased. */
export function rfBody(invoiceNumber: string): string | null {
  const body = invoiceNumber.toUpperCase().replace(/[^0-9A-Z]/g, "");
  return body.length > 0 && body.length <= MAX_BODY ? body : null;
}

/** The RF reference of an invoice number, without spaces (`RF18539007547034`); null when too long. */
export function rfReference(invoiceNumber: string): string | null {
  const body = rfBody(invoiceNumber);
  if (!body) return null;
  const check = 98 - mod97(`${body}RF00`);
  return `RF${String(check).padStart(2, "0")}${body}`;
}

/** Printed in groups of four, as payers type it and banks show it. */
export function formatRfReference(reference: string): string {
  return reference.replace(/(.{4})(?=.)/g, "$1 ");
}

/** Whether a compact reference (`RF18539007547034`) has the right shape and check digits. */
export function isValidRfReference(reference: string): boolean {
  if (!/^RF\d{2}[0-9A-Z]{1,21}$/.test(reference)) return false;
  return mod97(`${reference.slice(4)}${reference.slice(0, 4)}`) === 1;
}

/**
 * The valid RF references written in a remittance text, compact. Payers write them with or
 * without the spaces of the printed groups; the longest run that checks out is taken, so a
 * following word is not swallowed.
 */
export function findRfReferences(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.toUpperCase().matchAll(/\bRF\d{2}(?: ?[0-9A-Z]){1,21}/g)) {
    const compact = match[0].replace(/ /g, "");
    for (let end = compact.length; end > 4; end--) {
      const candidate = compact.slice(0, end);
      if (isValidRfReference(candidate)) {
        found.add(candidate);
        break;
      }
    }
  }
  return [...found];
}

// Letters count as 10..35, then the number's remainder modulo 97, digit by digit (no big integers).
function mod97(text: string): number {
  let rest = 0;
  for (const char of text) {
    const value = Number.parseInt(char, 36);
    rest = value < 10 ? (rest * 10 + value) % 97 : (rest * 100 + value) % 97;
  }
  return rest;
}

// The EPC069-12 "SEPA credit transfer" QR payload (the GiroCode): what a payer's banking app reads
// to fill a transfer. Version 002, UTF-8, lines joined by LF, at most 331 bytes.
export type EpcRemittance = { structured: string } | { text: string };
export type EpcTransfer = {
  name: string;
  iban: string;
  bic?: string | undefined;
  /** Euro cents; 1 to 99,999,999,999 (EUR 0.01 to 999,999,999.99). */
  amountMinor: number;
  /** An ISO 20022 external purpose code (4 letters), e.g. GDDS. */
  purpose?: string | undefined;
  remittance: EpcRemittance;
};

export const EPC_MAX_BYTES = 331;
const MAX_NAME = 70;
const MAX_TEXT = 140;
const MAX_REFERENCE = 35;

const compact = (value: string) => value.replace(/\s+/g, "").toUpperCase();
/** Cut to `max` characters; the standard counts characters per field. */
const cut = (value: string, max: number) => [...value.trim().replace(/[\r\n]+/g, " ")].slice(0, max).join("");

function refuse(field: string, message: string): never {
  throw new DomainError("epc_qr.invalid", `EPC QR ${field}: ${message}`, {
    userMessage: `The SEPA QR code cannot be made: ${message}.`,
    field,
  });
}

/** The payload, or a DomainError naming the field that cannot go in. */
export function epcQrPayload(transfer: EpcTransfer): string {
  const iban = compact(transfer.iban);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) refuse("iban", `"${transfer.iban}" is not an IBAN`);
  const bic = transfer.bic ? compact(transfer.bic) : "";
  if (bic && !/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic))
    refuse("bic", `"${transfer.bic}" is not a BIC`);
  const name = cut(transfer.name, MAX_NAME);
  if (!name) refuse("name", "the beneficiary has no name");
  const { amountMinor } = transfer;
  if (!Number.isInteger(amountMinor) || amountMinor < 1 || amountMinor > 99_999_999_999) {
    refuse("amount", "the amount must be between EUR 0.01 and EUR 999999999.99");
  }
  const amount = `EUR${Math.floor(amountMinor / 100)}.${String(amountMinor % 100).padStart(2, "0")}`;
  const purpose = transfer.purpose ? compact(transfer.purpose) : "";
  if (purpose && !/^[A-Z]{4}$/.test(purpose))
    refuse("purpose", `"${transfer.purpose}" is not a purpose code`);
  let structured = "";
  let text = "";
  if ("structured" in transfer.remittance) {
    structured = compact(transfer.remittance.structured);
    if (!structured || structured.length > MAX_REFERENCE)
      refuse("reference", "the creditor reference is empty or too long");
  } else {
    text = cut(transfer.remittance.text, MAX_TEXT);
  }
  const build = (remittanceText: string) => {
    const lines = ["BCD", "002", "1", "SCT", bic, name, iban, amount, purpose, structured, remittanceText];
    // Trailing empty fields may be left out; the last one used ends the payload.
    while (lines.at(-1) === "") lines.pop();
    return lines.join("\n");
  };
  const bytes = (value: string) => new TextEncoder().encode(value).length;
  let payload = build(text);
  // Multi-byte letters can pass 331 bytes within the character limits: the free text gives way.
  const chars = [...text];
  while (bytes(payload) > EPC_MAX_BYTES && chars.length > 0) {
    chars.pop();
    payload = build(chars.join(""));
  }
  if (bytes(payload) > EPC_MAX_BYTES) refuse("payload", `it would be longer than ${EPC_MAX_BYTES} bytes`);
  return payload;
}
