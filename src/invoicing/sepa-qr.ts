// The SEPA QR (EPC069-12) of an invoice: euro invoices with something open and a seller IBAN.
import { epcQrPayload } from "../domain/epc-qr.ts";
import { isDomainError } from "../domain/errors.ts";
import { remittanceFor } from "./payment-reference.ts";
import type { InvoiceRow } from "./repo.ts";

export function sepaQrPayloadOf(invoice: InvoiceRow): string | undefined {
  const seller = invoice.seller;
  if (invoice.currency !== "EUR" || invoice.kind === "credit_note" || invoice.openMinor <= 0)
    return undefined;
  if (!seller?.iban || !invoice.number) return undefined;
  try {
    return epcQrPayload({
      name: seller.legalName,
      iban: seller.iban,
      bic: seller.bic,
      amountMinor: invoice.openMinor,
      remittance: remittanceFor(invoice.number),
    });
  } catch (error) {
    // The IBAN and BIC are printed as text all the same: a QR that cannot be made is left out
    // rather than holding up the invoice.
    if (isDomainError(error) && error.code === "epc_qr.invalid") return undefined;
    throw error;
  }
}
