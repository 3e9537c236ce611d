// Renders the PDFs and UBL e-invoices of issued invoices from their frozen data (CLI, e-mail job,
// bench): one set of reads per batch, then the PDFs through the renderer the caller has (the worker
// pool in `serve`, this thread otherwise).
import type { Ctx, ServiceDeps } from "../context.ts";
import { DomainError, isDomainError } from "../domain/errors.ts";
import { payUrlOf } from "../domain/payment-links.ts";
import { type EpcRemittance, epcQrPayload, rfReference } from "../domain/sepa-transfer.ts";
import { verifactuQrUrlOf, verifactuRecordIsNegative } from "../domain/verifactu.ts";
import { buildCiiInvoice } from "../einvoice/cii-invoice.ts";
import { buildUblInvoice, type EInvoiceSource, ublSupported } from "../einvoice/ubl-invoice.ts";
import { type PdfInput, type PdfRenderer, renderPdfInThread } from "../pdf/render-invoice.ts";
import {
  type InvoiceRow,
  linesByInvoice,
  listAltaRecordsOf,
  listFrenchInterestRates,
  listInvoicesByIds,
} from "./repo.ts";
import type { StripePayments } from "./stripe-client.ts";

/** The ctx of a rendering: where PDFs render and the pay link, beside the workspace and who asks. */
export type RenderCtx = Ctx & {
  renderPdf?: PdfRenderer | undefined;
  /** Set when Stripe is: invoices then print their pay link. */
  payments?: Pick<StripePayments, "publicUrl"> | null | undefined;
};
export type InvoiceDocument = {
  invoice: InvoiceRow;
  input: PdfInput;
  pdf: Buffer;
  filename: string;
  /** What the UBL e-invoice is made of: built only where it is sent (`ublAttachment`). */
  eInvoiceSource: EInvoiceSource;
};
type PrintableInvoiceData = { invoice: InvoiceRow; input: PdfInput; eInvoice: EInvoiceSource };

/** Anyone who may see the invoice may print it (no permission check): rendering changes nothing. */
export async function renderInvoiceDocument(
  ctx: RenderCtx,
  input: { invoiceId: string; facturX?: boolean | undefined },
): Promise<InvoiceDocument> {
  const [document] = await renderInvoiceDocuments(ctx, {
    invoiceIds: [input.invoiceId],
    facturX: input.facturX,
  });
  if (!document) throw notIssued();
  return document;
}

/** The documents of the given invoices, in order; refuses if any of them is not issued. */
export async function renderInvoiceDocuments(
  ctx: RenderCtx,
  input: { invoiceIds: string[]; facturX?: boolean | undefined },
): Promise<InvoiceDocument[]> {
  const render = ctx.renderPdf ?? renderPdfInThread;
  const loaded = await loadPrintableInvoices(ctx.db, ctx.workspaceId, input.invoiceIds, {
    facturX: input.facturX,
    payments: ctx.payments,
  });
  return Promise.all(
    loaded.map(async ({ invoice, input: pdfInput, eInvoice }) => ({
      invoice,
      input: pdfInput,
      pdf: await render(pdfInput),
      filename: documentFilename(invoice, "pdf"),
      eInvoiceSource: eInvoice,
    })),
  );
}

/** The EN 16931 UBL e-invoice of a document, or null for a currency it cannot carry (3 decimals). */
export function ublAttachment(document: InvoiceDocument): { filename: string; xml: string } | null {
  return ublSupported(document.invoice.currency) && document.invoice.external !== "import"
    ? { filename: documentFilename(document.invoice, "xml"), xml: buildUblInvoice(document.eInvoiceSource) }
    : null;
}

export function documentFilename(invoice: InvoiceRow, extension: "pdf" | "xml"): string {
  return `${(invoice.number ?? "invoice").replace(/[^A-Za-z0-9._-]/g, "_")}.${extension}`;
}

/** What the PDF and the e-invoice of issued invoices are made from, in order; refuses drafts. */
export async function loadPrintableInvoices(
  db: ServiceDeps["db"],
  workspaceId: string,
  invoiceIds: string[],
  /** Factur-X or plain PDF; absent: Factur-X for a French seller. */
  options: { facturX?: boolean | undefined; payments?: RenderCtx["payments"] } = {},
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
  const rateOf = new Map(rates.map((r) => [r.halfYearStart, r.totalRateBp]));
  const recordOf = new Map(records.map((r) => [r.invoiceId, r]));
  return invoices.map((invoice) => {
    const record = recordOf.get(invoice.id);
    const preceding = invoice.correctsInvoiceId ? correctedById.get(invoice.correctsInvoiceId) : undefined;
    const invoiceLines = lines.get(invoice.id) ?? [];
    const latePenaltyRateBp =
      countryOf(invoice) === "FR" ? rateOf.get(halfYearStartOf(invoice.issueDate)) : undefined;
    const eInvoice: EInvoiceSource = {
      invoice,
      lines: invoiceLines,
      preceding: preceding?.number ? { number: preceding.number, issueDate: preceding.issueDate } : undefined,
      latePenaltyRateBp,
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
          verifactuQrUrl: record ? verifactuQrUrlOf(record) : undefined,
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
