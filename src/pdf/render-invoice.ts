// Renders an invoice to PDF bytes with pdfkit: its input (plain data that crosses to a worker), its
// view model, the page with its QR codes (VERI*FACTU, SEPA transfer), fonts embedded from an npm package.
import QRCode from "qrcode";
import type { FacturXAttachment } from "./facturx.ts";
import {
  buildInvoicePdfModel,
  type InvoiceModelOptions,
  type InvoicePdfModel,
  type PrintableInvoice,
  type PrintableLine,
} from "./invoice-model.ts";
import { type CobroFontName, PDF_MARGIN, startPdf, textWidth } from "./pdf-document.ts";

const MARGIN = PDF_MARGIN;
const PAGE = { width: 595.28, height: 841.89 };
const CONTENT = PAGE.width - 2 * MARGIN;
const BOTTOM = PAGE.height - 60;
const COL = {
  description: 250,
  quantity: 60,
  unitPrice: 75,
  vatRate: 45,
  lineTotal: CONTENT - 250 - 60 - 75 - 45,
};

/** A plain PDF, or a Factur-X when given the CII to embed. */
export async function renderInvoicePdf(model: InvoicePdfModel, facturX?: FacturXAttachment): Promise<Buffer> {
  const { doc, bytes } = startPdf({
    title: `${model.title} ${model.numberLine}`,
    author: model.seller.lines[0] ?? "",
    language: model.language,
    facturX,
  });

  let y = MARGIN;
  const text = (
    value: string,
    x: number,
    at: number,
    options: PDFKit.Mixins.TextOptions & { font?: CobroFontName; size?: number } = {},
  ) => {
    const { font = "regular", size = 9, ...rest } = options;
    doc.font(font).fontSize(size);
    const oneLine = oneLineX(value, x, rest.width, rest.align, font, size);
    if (oneLine === undefined) doc.text(value, x, at, { lineBreak: true, ...rest });
    // pdfkit measures every fragment again unless told its width (an option its wrapper sets).
    else
      doc.text(value, oneLine.x, at, {
        lineBreak: false,
        textWidth: oneLine.width,
      } as PDFKit.Mixins.TextOptions);
  };
  // Most texts fit on one line: placed directly they skip pdfkit's line wrapper (Unicode line
  // breaking word by word), which was half of an invoice's rendering. Undefined: wrap it.
  const oneLineX = (
    value: string,
    x: number,
    width: number | undefined,
    align: string | undefined,
    font: CobroFontName,
    size: number,
  ) => {
    if (width === undefined || value.includes("\n")) return undefined;
    const measured = textWidth(font, value, size);
    const slack = width - measured;
    if (slack < 0) return undefined;
    return { x: align === "right" ? x + slack : align === "center" ? x + slack / 2 : x, width: measured };
  };
  const height = (value: string, width: number, size = 9, font: CobroFontName = "regular") => {
    doc.font(font).fontSize(size);
    return oneLineX(value, 0, width, undefined, font, size) === undefined
      ? doc.heightOfString(value, { width })
      : doc.currentLineHeight(true);
  };

  const pageHeader = () => {
    text(model.title.toUpperCase(), MARGIN, MARGIN, { font: "bold", size: 12 });
    text(model.numberLine, MARGIN, MARGIN, { font: "bold", size: 12, width: CONTENT, align: "right" });
    y = MARGIN + 24;
  };
  const tableHeader = () => {
    doc
      .rect(MARGIN, y - 2, CONTENT, 16)
      .fill("#eeeeee")
      .fillColor("#000000");
    let x = MARGIN + 4;
    const cols: [string, number, "left" | "right"][] = [
      [model.columns.description, COL.description, "left"],
      [model.columns.quantity, COL.quantity, "right"],
      [model.columns.unitPrice, COL.unitPrice, "right"],
      [model.columns.vatRate, COL.vatRate, "right"],
      [model.columns.lineTotal, COL.lineTotal - 8, "right"],
    ];
    for (const [label, width, align] of cols) {
      text(label, x, y + 2, { font: "bold", size: 8, width, align });
      x += width;
    }
    y += 18;
  };
  const ensure = (needed: number, withTable = false) => {
    if (y + needed <= BOTTOM) return;
    doc.addPage();
    pageHeader();
    if (withTable) tableHeader();
  };

  // VERI*FACTU (Orden HAC/1177/2024 arts. 20-21): the QR comes first, top centre of page one,
  // ~35 mm, captioned "QR tributario:" above and "VERI*FACTU" below.
  let top = MARGIN;
  if (model.verifactu) {
    const size = 100;
    const left = MARGIN + (CONTENT - size) / 2;
    text("QR tributario:", MARGIN, top, { font: "bold", size: 8, width: CONTENT, align: "center" });
    drawQrCode(doc, model.verifactu.qrUrl, left, top + 11, size);
    text("VERI*FACTU", MARGIN, top + size + 13, { font: "bold", size: 9, width: CONTENT, align: "center" });
    top += size + 32;
  }

  // First page: title, facts, parties.
  text(model.title.toUpperCase(), MARGIN, top, { font: "bold", size: 20 });
  text(model.numberLine, MARGIN, top + 26, { font: "bold", size: 12 });
  let factsY = top;
  for (const fact of model.facts) {
    text(`${fact.label}: ${fact.value}`, MARGIN + CONTENT / 2, factsY, {
      width: CONTENT / 2,
      align: "right",
    });
    factsY += height(`${fact.label}: ${fact.value}`, CONTENT / 2) + 2;
  }
  y = Math.max(top + 60, factsY + 10);
  const partyTop = y;
  const party = (block: { heading: string; lines: string[] }, x: number) => {
    let py = partyTop;
    text(block.heading.toUpperCase(), x, py, { font: "bold", size: 8, width: CONTENT / 2 - 10 });
    py += 12;
    block.lines.forEach((line, index) => {
      text(line, x, py, { font: index === 0 ? "bold" : "regular", size: 9, width: CONTENT / 2 - 10 });
      py += height(line, CONTENT / 2 - 10) + 1;
    });
    return py;
  };
  y = Math.max(party(model.seller, MARGIN), party(model.buyer, MARGIN + CONTENT / 2 + 10)) + 16;

  tableHeader();
  for (const line of model.lines) {
    // A price per base quantity ("100,00 € / 60 min") may wrap in its narrow column.
    const rowHeight =
      Math.max(height(line.description, COL.description - 6), height(line.unitPrice, COL.unitPrice), 11) + 5;
    ensure(rowHeight, true);
    let x = MARGIN + 4;
    text(line.description, x, y, { width: COL.description - 6 });
    x += COL.description;
    text(line.quantity, x, y, { width: COL.quantity, align: "right" });
    x += COL.quantity;
    text(line.unitPrice, x, y, { width: COL.unitPrice, align: "right" });
    x += COL.unitPrice;
    text(line.vatRate, x, y, { width: COL.vatRate, align: "right" });
    x += COL.vatRate;
    text(line.lineTotal, x, y, { width: COL.lineTotal - 8, align: "right" });
    y += rowHeight;
    doc
      .moveTo(MARGIN, y - 2)
      .lineTo(MARGIN + CONTENT, y - 2)
      .lineWidth(0.3)
      .strokeColor("#cccccc")
      .stroke();
  }
  y += 10;

  // VAT breakdown (left) and totals (right), kept together.
  const blockHeight = Math.max(model.vatRows.length * 13 + 30, model.totals.length * 15 + 10);
  ensure(blockHeight);
  const blockTop = y;
  const vatWidth = CONTENT / 2 - 10;
  text(model.vatHeading, MARGIN, y, { font: "bold", size: 9 });
  y += 14;
  const vatCols = [vatWidth * 0.3, vatWidth * 0.35, vatWidth * 0.35];
  [model.vatColumns.rate, model.vatColumns.base, model.vatColumns.vat].forEach((label, i) => {
    text(label, MARGIN + vatCols.slice(0, i).reduce((a, b) => a + b, 0), y, {
      font: "bold",
      size: 8,
      width: vatCols[i] ?? 0,
      align: i === 0 ? "left" : "right",
    });
  });
  y += 12;
  for (const row of model.vatRows) {
    [row.rate, row.base, row.vat].forEach((value, i) => {
      text(value, MARGIN + vatCols.slice(0, i).reduce((a, b) => a + b, 0), y, {
        size: 8,
        width: vatCols[i] ?? 0,
        align: i === 0 ? "left" : "right",
      });
    });
    y += 13;
  }
  let ty = blockTop;
  const totalsX = MARGIN + CONTENT / 2 + 10;
  for (const row of model.totals) {
    const font = row.strong ? "bold" : "regular";
    const size = row.strong ? 10 : 9;
    text(row.label, totalsX, ty, { font, size, width: CONTENT / 4 + 20 });
    text(row.value, totalsX, ty, { font, size, width: CONTENT / 2 - 10, align: "right" });
    ty += 15;
  }
  y = Math.max(y, ty) + 14;

  if (model.payment.lines.length > 0 || model.sepaQr) {
    // EPC069-12 asks for at least 2 × 2 cm; 90 pt is about 3.2 cm, quiet zone included.
    const qrSize = model.sepaQr ? 90 : 0;
    const linesWidth = model.sepaQr ? CONTENT - qrSize - 16 : CONTENT;
    ensure(Math.max(14 + model.payment.lines.length * 13, qrSize + 14));
    const paymentTop = y;
    text(model.payment.heading, MARGIN, y, { font: "bold", size: 9 });
    y += 13;
    for (const line of model.payment.lines) {
      text(line, MARGIN, y, { width: linesWidth });
      y += height(line, linesWidth) + 2;
    }
    if (model.sepaQr) {
      const left = MARGIN + CONTENT - qrSize;
      drawQrCode(doc, model.sepaQr.payload, left, paymentTop, qrSize);
      text(model.sepaQr.caption, left - 20, paymentTop + qrSize, {
        size: 7,
        width: qrSize + 20,
        align: "center",
      });
      y = Math.max(y, paymentTop + qrSize + 12);
    }
    y += 8;
  }
  for (const mention of model.mentions) {
    const h = height(mention, CONTENT, 7.5);
    ensure(h + 2);
    text(mention, MARGIN, y, { size: 7.5, width: CONTENT });
    y += h + 3;
  }

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Writing below the bottom margin would otherwise open a new page.
    doc.page.margins.bottom = 0;
    text(model.footer, MARGIN, PAGE.height - 40, { size: 7, width: CONTENT * 0.75, lineBreak: false });
    text(model.pageLabel(i + 1, range.count), MARGIN, PAGE.height - 40, {
      size: 7,
      width: CONTENT,
      align: "right",
      lineBreak: false,
    });
  }
  doc.end();
  return bytes;
}

// Draws a QR code as filled squares (vector, no image): VERI*FACTU's verification URL, level M.
type Drawing = {
  rect: (x: number, y: number, w: number, h: number) => Drawing;
  fill: (color: string) => Drawing;
};

/** Draws `text` as a QR code of `size` points at (x, y), with the quiet zone inside that size. */
function drawQrCode(doc: Drawing, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const quietZone = 2;
  const cell = size / (modules.size + 2 * quietZone);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) {
        doc.rect(x + (col + quietZone) * cell, y + (row + quietZone) * cell, cell, cell);
      }
    }
  }
  doc.fill("#000000");
}

// What to print and how: the inputs of the invoice view model, plain data that crosses to a worker.
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
