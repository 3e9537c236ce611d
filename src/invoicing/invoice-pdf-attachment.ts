// The PDF a reminder attaches: Cobro's own, or the original of an imported receivable.
import { isDomainError } from "../domain/errors.ts";
import { type RenderCtx, renderInvoiceDocument } from "./render-invoice-document.ts";
import { findImportedInvoicePdf, listInvoicesByIds } from "./repo.ts";

/**
 * The PDF a reminder attaches, or null when Cobro has none. An imported receivable was made by another
 * system (Cobro knows its total, not its lines): its original PDF if one was imported, never a Cobro-made one.
 */
export async function invoicePdfAttachment(
  ctx: RenderCtx,
  input: { invoiceId: string },
): Promise<{ filename: string; content: Buffer } | null> {
  const [row] = await listInvoicesByIds(ctx.db, ctx.workspaceId, [input.invoiceId]);
  if (row?.external === "import") {
    const original = await findImportedInvoicePdf(ctx.db, ctx.workspaceId, input.invoiceId);
    return original ?? null;
  }
  try {
    const document = await renderInvoiceDocument(ctx, input);
    return { filename: document.filename, content: document.pdf };
  } catch (error) {
    if (isDomainError(error) && error.code === "invoice.not_printable") return null;
    throw error;
  }
}
