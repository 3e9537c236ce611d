// Renders the PDFs of several issued invoices at once (the invoices bench): one set of reads for the
// batch, then the PDFs through the renderer the caller has.
import { documentFilename } from "../domain/numbering.ts";
import { renderPdfInThread } from "../pdf/render-invoice.ts";
import { loadPrintableInvoices } from "./printable-repo.ts";
import type { InvoiceDocument, RenderCtx } from "./render-invoice-document.ts";

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
      filename: documentFilename(invoice.number, "pdf"),
      eInvoiceSource: eInvoice,
    })),
  );
}
