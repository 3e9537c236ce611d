// The EN 16931 UBL e-invoice of one issued invoice (CLI `invoice ubl`), refusing what it cannot carry.
import type { ServiceDeps } from "../context.ts";
import { buildUblInvoice } from "../einvoice/ubl-invoice.ts";
import { documentFilename, loadPrintableInvoices } from "./render-invoice-document.ts";

export async function exportEInvoice(
  deps: Pick<ServiceDeps, "db">,
  input: { workspaceId: string; invoiceId: string },
): Promise<{ filename: string; xml: string }> {
  const [loaded] = await loadPrintableInvoices(deps.db, input.workspaceId, [input.invoiceId]);
  if (!loaded) throw new Error(`invoice ${input.invoiceId} not loaded`);
  return { filename: documentFilename(loaded.invoice, "xml"), xml: buildUblInvoice(loaded.eInvoice) };
}
