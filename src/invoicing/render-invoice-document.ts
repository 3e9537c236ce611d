// Renders the PDF of an issued invoice from its frozen data (CLI, e-mail job, reminders) through the
// renderer the caller has (the worker pool in `serve`, this thread otherwise).
import type { Ctx } from "../context.ts";
import { present } from "../domain/errors.ts";
import { documentFilename } from "../domain/numbering.ts";
import type { EInvoiceSource } from "../einvoice/ubl-invoice.ts";
import { type PdfInput, type PdfRenderer, renderPdfInThread } from "../pdf/render-invoice.ts";
import { loadPrintableInvoices } from "./printable-repo.ts";
import type { InvoiceRow } from "./repo.ts";
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

/** Anyone who may see the invoice may print it (no permission check): rendering changes nothing. */
export async function renderInvoiceDocument(
  ctx: RenderCtx,
  input: { invoiceId: string; facturX?: boolean | undefined },
): Promise<InvoiceDocument> {
  const [loaded] = await loadPrintableInvoices(ctx.db, ctx.workspaceId, [input.invoiceId], {
    facturX: input.facturX,
    payments: ctx.payments,
  });
  const { invoice, input: pdfInput, eInvoice } = present(loaded, "the printable invoice");
  const pdf = await (ctx.renderPdf ?? renderPdfInThread)(pdfInput);
  return {
    invoice,
    input: pdfInput,
    pdf,
    filename: documentFilename(invoice.number, "pdf"),
    eInvoiceSource: eInvoice,
  };
}
