// A new A4 document with Cobro's embedded fonts, and its bytes once it ends: what every PDF shares.
import PDFDocument from "pdfkit";
import { embedFacturX, FACTURX_PDF_OPTIONS, type FacturXAttachment } from "./facturx.ts";
import { useCobroFonts } from "./fonts.ts";

export const PDF_MARGIN = 40;

/** `facturX`: a Factur-X (PDF/A-3b with the CII attached); a plain PDF without it. */
export function startPdf(options: {
  title: string;
  author: string;
  language: string;
  facturX?: FacturXAttachment | undefined;
}): {
  doc: PDFKit.PDFDocument;
  bytes: Promise<Buffer>;
} {
  const doc = new PDFDocument({
    // No standard font: pdfkit would parse Helvetica's metrics for every document, unused.
    font: null as unknown as string,
    size: "A4",
    margins: { top: PDF_MARGIN, left: PDF_MARGIN, right: PDF_MARGIN, bottom: 30 },
    bufferPages: true,
    autoFirstPage: true,
    info: { Title: options.title, Author: xmpSafe(options, options.author), Producer: "Cobro" },
    lang: options.language,
    ...(options.facturX ? FACTURX_PDF_OPTIONS : {}),
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  useCobroFonts(doc);
  if (options.facturX) embedFacturX(doc, options.facturX);
  return { doc, bytes };
}

// pdfkit copies the Info strings into the XMP unescaped: a "&" there would make a PDF/A invalid.
function xmpSafe(options: { facturX?: unknown }, text: string): string {
  return options.facturX ? text.replace(/[&<>]/g, " ").replace(/\s+/g, " ") : text;
}
