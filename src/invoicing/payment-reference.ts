// What a payer's transfer carries to name the invoice (the SEPA QR's remittance field). One place to
// change when the ISO 11649 RF creditor reference is printed on invoices: it then goes in structured.
import type { EpcRemittance } from "../domain/epc-qr.ts";

export function remittanceFor(invoiceNumber: string): EpcRemittance {
  return { text: invoiceNumber };
}
