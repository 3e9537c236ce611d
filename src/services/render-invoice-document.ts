// Renders the PDF of an issued invoice, from its frozen data (CLI `invoice pdf`, e-mail job).
import { and, eq } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { findInvoice, type InvoiceRow, listInvoiceLines } from "../db/repos/invoices.ts";
import { lateInterestRates, verifactuRecords } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import { buildInvoicePdfModel, type InvoicePdfModel } from "../pdf/invoice-model.ts";
import { renderInvoicePdf } from "../pdf/render-invoice.ts";
import { verifactuQrUrlOf } from "./append-verifactu-record.ts";

export async function renderInvoiceDocument(
  deps: Pick<ServiceDeps, "db">,
  input: { workspaceId: string; invoiceId: string },
): Promise<{ invoice: InvoiceRow; model: InvoicePdfModel; pdf: Buffer; filename: string }> {
  const { db } = deps;
  const invoice = await findInvoice(db, input.workspaceId, input.invoiceId);
  if (!invoice?.number || !invoice.issueDate || invoice.status === "draft" || invoice.status === "held") {
    throw new DomainError("invoice.not_issued", "only issued invoices have a PDF", {
      userMessage: "Only an issued invoice has a PDF; issue it first.",
    });
  }
  const lines = await listInvoiceLines(db, input.workspaceId, invoice.id);
  const original = invoice.correctsInvoiceId
    ? await findInvoice(db, input.workspaceId, invoice.correctsInvoiceId)
    : undefined;
  const country = invoice.seller?.address.country?.toUpperCase();
  // The statutory rate of the half-year the invoice falls in, printed next to the formula (FR).
  const [rate] =
    country === "FR"
      ? await db
          .select({ totalRateBp: lateInterestRates.totalRateBp })
          .from(lateInterestRates)
          .where(
            and(
              eq(lateInterestRates.jurisdiction, "FR"),
              // Only the half-year of the issue date: an older rate would print a wrong figure.
              eq(lateInterestRates.halfYearStart, halfYearStartOf(invoice.issueDate)),
            ),
          )
          .limit(1)
      : [];
  const [record] = await db
    .select()
    .from(verifactuRecords)
    .where(and(eq(verifactuRecords.invoiceId, invoice.id), eq(verifactuRecords.kind, "alta")))
    .limit(1);
  const model = buildInvoicePdfModel(invoice, lines, {
    correctsNumber: original?.number ?? undefined,
    latePenaltyRateBp: rate?.totalRateBp,
    verifactuQrUrl: record ? verifactuQrUrlOf(record) : undefined,
  });
  const pdf = await renderInvoicePdf(model);
  return { invoice, model, pdf, filename: `${invoice.number.replace(/[^A-Za-z0-9._-]/g, "_")}.pdf` };
}

function halfYearStartOf(isoDate: string): string {
  return `${isoDate.slice(0, 4)}-${Number(isoDate.slice(5, 7)) <= 6 ? "01" : "07"}-01`;
}
