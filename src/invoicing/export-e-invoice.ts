// The EN 16931 e-invoice of one issued invoice (CLI `invoice xml`), as UBL, CII or a Factur-X PDF,
// refusing what it cannot carry.
import type { Ctx } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { documentFilename } from "../domain/numbering.ts";
import { buildCiiInvoice } from "../einvoice/cii-invoice.ts";
import { buildUblInvoice } from "../einvoice/ubl-invoice.ts";
import { renderPdfInThread } from "../pdf/render-invoice.ts";
import { loadPrintableInvoices } from "./printable-repo.ts";

export const E_INVOICE_FORMATS = {
  ubl: "UBL 2.1, EN 16931",
  cii: "UN/CEFACT CII D16B, EN 16931",
  facturx: "Factur-X EN 16931: PDF/A-3b with the CII as factur-x.xml",
} as const;
export type EInvoiceFormat = keyof typeof E_INVOICE_FORMATS;

/** Any member may export an issued invoice's e-invoice (no permission check). */
export async function exportEInvoice(
  ctx: Ctx,
  input: { invoiceId: string; format?: string | undefined },
): Promise<{ filename: string; content: string | Buffer; description: string }> {
  const format = input.format ?? "ubl";
  if (!(format in E_INVOICE_FORMATS)) {
    throw new DomainError("einvoice.format", `unknown e-invoice format ${format}`, {
      userMessage: `"${format}" is not an e-invoice format: use --format ${Object.keys(E_INVOICE_FORMATS).join(", ")}.`,
    });
  }
  const description = E_INVOICE_FORMATS[format as EInvoiceFormat];
  const [loaded] = await loadPrintableInvoices(ctx.db, ctx.workspaceId, [input.invoiceId], {
    facturX: format === "facturx",
  });
  if (!loaded) throw new Error(`invoice ${input.invoiceId} not loaded`);
  // Cobro knows an imported receivable's total, not its lines: an EN 16931 document of it would be false.
  if (loaded.invoice.external === "import") {
    throw new DomainError("einvoice.imported", `invoice ${input.invoiceId} was imported`, {
      userMessage: `${loaded.invoice.number} was imported from another system: Cobro does not know its lines, so it has no e-invoice of it; send the original from that system.`,
    });
  }
  if (format === "facturx") {
    // Builds the CII first, so what EN 16931 cannot carry is refused with its reason.
    buildCiiInvoice(loaded.eInvoice);
    const pdf = await renderPdfInThread(loaded.input);
    return { filename: documentFilename(loaded.invoice.number, "pdf"), content: pdf, description };
  }
  const build = format === "cii" ? buildCiiInvoice : buildUblInvoice;
  return {
    filename: documentFilename(loaded.invoice.number, "xml"),
    content: build(loaded.eInvoice),
    description,
  };
}
