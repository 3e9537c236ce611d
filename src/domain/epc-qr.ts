// The EPC069-12 "SEPA credit transfer" QR payload (the GiroCode): what a payer's banking app reads
// to fill a transfer. Version 002, UTF-8, lines joined by LF, at most 331 bytes.
import { DomainError } from "./errors.ts";

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
