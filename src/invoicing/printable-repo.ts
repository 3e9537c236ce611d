// What the PDF and the e-invoice of issued invoices are made from, read in one set of queries per
// batch: a repo step of the rendering (the e-mail job, the CLI, reminders) and of the e-invoice export.
import type { ServiceDeps } from "../context.ts";
import { DomainError, isDomainError, present } from "../domain/errors.ts";
import { statutoryRateBp } from "../domain/late-interest.ts";
import { payUrlOf } from "../domain/payment-links.ts";
import { type EpcRemittance, epcQrPayload, rfReference } from "../domain/sepa-transfer.ts";
import { verifactuQrUrlOf, verifactuRecordIsNegative } from "../domain/verifactu.ts";
import { buildCiiInvoice } from "../einvoice/cii-invoice.ts";
import { type EInvoiceSource, ublSupported } from "../einvoice/ubl-invoice.ts";
import type { PdfInput } from "../pdf/render-invoice.ts";
import {
  type InvoiceRow,
  linesByInvoice,
  listAltaRecordsOf,
  listFrenchInterestRates,
  listInvoicesByIds,
} from "./repo.ts";
import type { StripePayments } from "./stripe-client.ts";

export type PrintableInvoiceData = { invoice: InvoiceRow; input: PdfInput; eInvoice: EInvoiceSource };

/** What the PDF and the e-invoice of issued invoices are made from, in order; refuses drafts. */
export async function loadPrintableInvoices(
  db: ServiceDeps["db"],
  workspaceId: string,
  invoiceIds: string[],
  /** Factur-X or plain PDF; absent: Factur-X for a French seller. */
  options: {
    facturX?: boolean | undefined;
    /** Set when Stripe is: invoices then print their pay link. */
    payments?: Pick<StripePayments, "publicUrl"> | null | undefined;
  } = {},
): Promise<PrintableInvoiceData[]> {
  const rows = await listInvoicesByIds(db, workspaceId, [...new Set(invoiceIds)]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const invoices = invoiceIds.map((id) => {
    const invoice = byId.get(id);
    if (!invoice?.number || !invoice.issueDate || invoice.status === "draft" || invoice.status === "held") {
      throw notIssued();
    }
    // Receivables imported before the company's identity was set have no parties to print.
    if (!invoice.seller || !invoice.buyer) {
      throw new DomainError("invoice.not_printable", `invoice ${invoice.id} has no frozen parties`, {
        userMessage: `${invoice.number} was imported without your company's identity, so Cobro has no PDF or e-invoice of it: send the original from the system that issued it.`,
      });
    }
    return invoice as InvoiceRow & { issueDate: string };
  });
  const ids = [...byId.keys()];
  const correctedIds = [
    ...new Set(invoices.flatMap((i) => (i.correctsInvoiceId ? [i.correctsInvoiceId] : []))),
  ];
  // The statutory rate of the half-year each invoice falls in, printed next to the formula (FR):
  // only that half-year's, as an older rate would print a wrong figure.
  const frenchHalfYears = [
    ...new Set(invoices.filter((i) => countryOf(i) === "FR").map((i) => halfYearStartOf(i.issueDate))),
  ];
  const [lines, corrected, rates, records] = await Promise.all([
    linesByInvoice(db, workspaceId, ids),
    listInvoicesByIds(db, workspaceId, correctedIds),
    frenchHalfYears.length === 0 ? [] : listFrenchInterestRates(db, frenchHalfYears),
    listAltaRecordsOf(db, ids),
  ]);
  const correctedById = new Map(corrected.map((c) => [c.id, c]));
  const rateOf = new Map(rates.map((r) => [r.halfYearStart, { ...r, jurisdiction: "FR" as const }]));
  const recordOf = new Map(records.map((r) => [r.invoiceId, r]));
  return invoices.map((invoice) => {
    const record = recordOf.get(invoice.id);
    const verifactuUrl = record ? verifactuQrUrlOf(record) : undefined;
    const preceding = invoice.correctsInvoiceId ? correctedById.get(invoice.correctsInvoiceId) : undefined;
    const invoiceLines = lines.get(invoice.id) ?? [];
    const frenchRate =
      countryOf(invoice) === "FR" ? rateOf.get(halfYearStartOf(invoice.issueDate)) : undefined;
    const latePenaltyRateBp =
      frenchRate &&
      statutoryRateBp(frenchRate, present(invoice.buyer, "the buyer of an issued invoice").profile);
    const eInvoice: EInvoiceSource = {
      invoice,
      lines: invoiceLines,
      preceding: preceding?.number ? { number: preceding.number, issueDate: preceding.issueDate } : undefined,
      latePenaltyRateBp,
      verifactuUrl,
    };
    return {
      invoice,
      eInvoice,
      input: {
        // Since the 2026 reform a French seller's PDF is a Factur-X; other sellers' stay plain.
        facturX:
          (options.facturX ?? countryOf(invoice) === "FR") && facturXPossible(invoice)
            ? { xml: buildCiiInvoice(eInvoice), issueDate: invoice.issueDate }
            : undefined,
        invoice,
        lines: invoiceLines,
        options: {
          correctsNumber: preceding?.number ?? undefined,
          latePenaltyRateBp,
          verifactuQrUrl: verifactuUrl,
          sepaQrPayload: sepaQrPayloadOf(invoice),
          payUrl:
            options.payments && invoice.receiptToken && invoice.kind !== "credit_note"
              ? payUrlOf(options.payments.publicUrl, invoice.receiptToken)
              : undefined,
          negativeAmounts: record ? verifactuRecordIsNegative(record) : undefined,
          correctedTotalMinor:
            record?.rectificationType === "S" && preceding
              ? preceding.totalMinor - invoice.totalMinor
              : undefined,
        },
      },
    };
  });
}

/** Cobro made it (not an imported receivable) and EN 16931 can carry its currency. */
function facturXPossible(invoice: InvoiceRow): boolean {
  return invoice.external !== "import" && ublSupported(invoice.currency);
}

function countryOf(invoice: InvoiceRow): string | undefined {
  return invoice.seller?.address.country?.toUpperCase();
}

function halfYearStartOf(isoDate: string): string {
  return `${isoDate.slice(0, 4)}-${Number(isoDate.slice(5, 7)) <= 6 ? "01" : "07"}-01`;
}

function notIssued(): DomainError {
  return new DomainError("invoice.not_issued", "only issued invoices have a PDF", {
    userMessage: "Only an issued invoice has a PDF; issue it first.",
  });
}

/** The SEPA QR (EPC069-12) of an invoice: euro invoices with something open and a seller IBAN. */
function sepaQrPayloadOf(invoice: InvoiceRow): string | undefined {
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

/**
 * What a payer's transfer carries to name the invoice (the QR's remittance field): the invoice's
 * ISO 11649 RF creditor reference, structured, so the bank statement brings it back for matching;
 * the invoice number as text only when it is too long for a reference.
 */
function remittanceFor(invoiceNumber: string): EpcRemittance {
  const reference = rfReference(invoiceNumber);
  return reference ? { structured: reference } : { text: invoiceNumber };
}
