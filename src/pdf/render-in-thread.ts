// What to print and how: the inputs of the invoice view model, plain data that crosses to a worker.
import type { FacturXAttachment } from "./facturx.ts";
import {
  buildInvoicePdfModel,
  type InvoiceModelOptions,
  type PrintableInvoice,
  type PrintableLine,
} from "./invoice-model.ts";
import { renderInvoicePdf } from "./render-invoice.ts";

export type PdfInput = {
  invoice: PrintableInvoice;
  lines: PrintableLine[];
  options: InvoiceModelOptions;
  /** The CII to embed: the PDF is then a Factur-X. */
  facturX?: FacturXAttachment | undefined;
};

/** Renders PDF bytes from an input; either on this thread or on the render pool's workers. */
export type PdfRenderer = (input: PdfInput) => Promise<Buffer>;

export const modelOf = (input: PdfInput) => buildInvoicePdfModel(input.invoice, input.lines, input.options);

export const renderPdfInThread: PdfRenderer = (input) => renderInvoicePdf(modelOf(input), input.facturX);
