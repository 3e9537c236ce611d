// What a payer's transfer carries to name the invoice (the SEPA QR's remittance field): the invoice's
// ISO 11649 RF creditor reference, structured, so the bank statement brings it back for matching;
// the invoice number as text only when it is too long for a reference.
import type { EpcRemittance } from "../domain/epc-qr.ts";
import { rfReference } from "../domain/rf-reference.ts";

export function remittanceFor(invoiceNumber: string): EpcRemittance {
  const reference = rfReference(invoiceNumber);
  return reference ? { structured: reference } : { text: invoiceNumber };
}
