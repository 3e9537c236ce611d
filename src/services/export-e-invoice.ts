// The EN 16931 e-invoice of one issued invoice (CLI `invoice xml`), as UBL or CII, refusing what it
// cannot carry.
import type { ServiceDeps } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { buildCiiInvoice } from "../einvoice/cii-invoice.ts";
import { buildUblInvoice } from "../einvoice/ubl-invoice.ts";
import { documentFilename, loadPrintableInvoices } from "./render-invoice-document.ts";

export const E_INVOICE_FORMATS = {
  ubl: "UBL 2.1, EN 16931",
  cii: "UN/CEFACT CII D16B, EN 16931",
} as const;
export type EInvoiceFormat = keyof typeof E_INVOICE_FORMATS;

export async function exportEInvoice(
  deps: Pick<ServiceDeps, "db">,
  input: { workspaceId: string; invoiceId: string; format?: string | undefined },
): Promise<{ filename: string; xml: string; description: string }> {
  const format = input.format ?? "ubl";
  if (!(format in E_INVOICE_FORMATS)) {
    throw new DomainError("einvoice.format", `unknown e-invoice format ${format}`, {
      userMessage: `"${format}" is not an e-invoice format: use --format ${Object.keys(E_INVOICE_FORMATS).join(", ")}.`,
    });
  }
  const [loaded] = await loadPrintableInvoices(deps.db, input.workspaceId, [input.invoiceId]);
  if (!loaded) throw new Error(`invoice ${input.invoiceId} not loaded`);
  const build = format === "cii" ? buildCiiInvoice : buildUblInvoice;
  return {
    filename: documentFilename(loaded.invoice, "xml"),
    xml: build(loaded.eInvoice),
    description: E_INVOICE_FORMATS[format as EInvoiceFormat],
  };
}
