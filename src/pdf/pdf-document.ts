// A new A4 document with Cobro's embedded fonts, and its bytes once it ends: what every PDF shares.
import PDFDocument from "pdfkit";
import { useCobroFonts } from "./fonts.ts";

export const PDF_MARGIN = 40;

export function startPdf(options: { title: string; author: string; language: string }): {
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
    info: { Title: options.title, Author: options.author, Producer: "Cobro" },
    lang: options.language,
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  useCobroFonts(doc);
  return { doc, bytes };
}
