// Renders a client's statement of account to PDF bytes, in the client's language: the open
// invoices aged in buckets, the total due per currency and how to pay. Pure: the statement in.

import { formatDate } from "../domain/calendar.ts";
import type { Address, Seller } from "../domain/invoice-parties.ts";
import { formatMoney } from "../domain/money.ts";
import type { Statement } from "../domain/statement.ts";
import { type InvoiceLanguage, LOCALES } from "./i18n.ts";
import { PDF_MARGIN, startPdf } from "./pdf-document.ts";

export type StatementPdfInput = Statement & {
  client: { name: string; address: Address | null; language: InvoiceLanguage };
  seller: Seller;
};

export const STATEMENT_TEXT = {
  fr: {
    title: "Relevé de compte",
    asOf: (date: string) => `Situation au ${date}`,
    columns: ["Facture", "Date", "Échéance", "Retard (j)", "Montant", "Reste dû"],
    bucket: (label: string) => (label === "current" ? "Non échu" : `${label} j`),
    total: "Total dû",
    refund: (currency: string, invoices: string) => `À vous rembourser (${currency}, ${invoices})`,
    overdue: "dont échu",
    none: "Aucune facture ouverte : votre compte est à jour. Merci.",
    payment: "Règlement par virement",
    closing: "Si vous avez réglé ces factures entre-temps, merci et ne tenez pas compte de ce relevé.",
    page: (page: number, pages: number) => `Page ${page}/${pages}`,
  },
  es: {
    title: "Extracto de cuenta",
    asOf: (date: string) => `Situación a ${date}`,
    columns: ["Factura", "Fecha", "Vencimiento", "Retraso (d)", "Importe", "Pendiente"],
    bucket: (label: string) => (label === "current" ? "No vencido" : `${label} d`),
    total: "Total pendiente",
    refund: (currency: string, invoices: string) => `A devolverle (${currency}, ${invoices})`,
    overdue: "de ello vencido",
    none: "Ninguna factura pendiente: su cuenta está al día. Gracias.",
    payment: "Pago por transferencia",
    closing: "Si ya ha pagado estas facturas, gracias y no tenga en cuenta este extracto.",
    page: (page: number, pages: number) => `Página ${page}/${pages}`,
  },
  en: {
    title: "Statement of account",
    asOf: (date: string) => `As of ${date}`,
    columns: ["Invoice", "Date", "Due", "Days late", "Amount", "Open"],
    bucket: (label: string) => (label === "current" ? "Not yet due" : `${label} days`),
    total: "Total due",
    refund: (currency: string, invoices: string) => `Refund due to you (${currency}, ${invoices})`,
    overdue: "of which overdue",
    none: "No open invoice: your account is up to date. Thank you.",
    payment: "Pay by bank transfer",
    closing:
      "If you have paid these invoices in the meantime, thank you, and please disregard this statement.",
    page: (page: number, pages: number) => `Page ${page}/${pages}`,
  },
} as const;

const MARGIN = PDF_MARGIN;
const PAGE_HEIGHT = 841.89;
const CONTENT = 595.28 - 2 * MARGIN;
const BOTTOM = PAGE_HEIGHT - 60;
// Invoice, date, due, days late, amount, open.
const WIDTHS = [125, 70, 70, 70, 90, 90];

export async function renderStatementPdf(input: StatementPdfInput): Promise<Buffer> {
  const language = input.client.language;
  const t = STATEMENT_TEXT[language];
  const money = (amountMinor: number, currency: string) =>
    formatMoney({ amountMinor, currency }, LOCALES[language]);
  const { doc, bytes } = startPdf({
    title: `${t.title} — ${input.client.name}`,
    author: input.seller.legalName,
    language,
  });
  const text = (value: string, x: number, at: number, width: number, bold = false, align = "left") => {
    doc.font(bold ? "bold" : "regular").fontSize(9);
    // One line per cell: with a width PDFKit wraps whatever lineBreak says; the height cuts it to one line.
    doc.text(value, x, at, { width, height: 11, align: align as "left", lineBreak: false, ellipsis: true });
  };

  let y = MARGIN;
  doc.font("bold").fontSize(14).text(t.title.toUpperCase(), MARGIN, y);
  text(t.asOf(formatDate(input.asOf)), MARGIN, y + 4, CONTENT, true, "right");
  y += 34;
  const party = (lines: string[], x: number) => {
    for (const [index, line] of lines.entries()) text(line, x, y + index * 12, CONTENT / 2 - 10, index === 0);
    return lines.length * 12;
  };
  const addressLines = (address: Address | null) =>
    address
      ? [address.line1, address.line2 ?? "", `${address.postcode} ${address.city}`, address.country]
      : [];
  const seller = [input.seller.legalName, ...addressLines(input.seller.address), input.seller.email ?? ""];
  const client = [input.client.name, ...addressLines(input.client.address)];
  y += Math.max(
    party(seller.filter(Boolean), MARGIN),
    party(client.filter(Boolean), MARGIN + CONTENT / 2 + 10),
  );
  y += 20;

  if (input.currencies.length === 0 && input.refundsDue.length === 0) {
    text(t.none, MARGIN, y, CONTENT, true);
    y += 20;
  }
  const row = (cells: string[], bold = false) => {
    let x = MARGIN;
    cells.forEach((cell, i) => {
      const width = WIDTHS[i] ?? 60;
      text(cell, x + 2, y, width - 4, bold, i >= 3 ? "right" : "left");
      x += width;
    });
    y += 14;
  };
  const header = () => {
    doc
      .rect(MARGIN, y - 3, CONTENT, 15)
      .fill("#eeeeee")
      .fillColor("#000000");
    row([...t.columns], true);
  };
  for (const group of input.currencies) {
    if (y > BOTTOM - 80) {
      doc.addPage();
      y = MARGIN;
    }
    header();
    for (const line of group.lines) {
      if (y > BOTTOM) {
        doc.addPage();
        y = MARGIN;
        header();
      }
      row([
        line.number,
        formatDate(line.issueDate),
        formatDate(line.dueDate),
        line.daysPastDue > 0 ? String(line.daysPastDue) : "—",
        money(line.totalMinor, group.currency),
        money(line.openMinor, group.currency),
      ]);
    }
    y += 4;
    input.labels.forEach((label, index) => {
      const amount = group.buckets[index] ?? 0;
      if (amount === 0) return;
      text(t.bucket(label), MARGIN + CONTENT / 2, y, CONTENT / 4);
      text(money(amount, group.currency), MARGIN + CONTENT / 2, y, CONTENT / 2 - 2, false, "right");
      y += 12;
    });
    text(`${t.total} (${group.currency})`, MARGIN + CONTENT / 2, y + 2, CONTENT / 4, true);
    text(
      money(group.totalMinor, group.currency),
      MARGIN + CONTENT / 2,
      y + 2,
      CONTENT / 2 - 2,
      true,
      "right",
    );
    y += 16;
    if (group.overdueMinor > 0) {
      text(t.overdue, MARGIN + CONTENT / 2, y, CONTENT / 4);
      text(
        money(group.overdueMinor, group.currency),
        MARGIN + CONTENT / 2,
        y,
        CONTENT / 2 - 2,
        false,
        "right",
      );
      y += 14;
    }
    y += 12;
  }
  for (const refund of input.refundsDue) {
    text(t.refund(refund.currency, refund.invoices.join(", ")), MARGIN, y, (CONTENT * 3) / 4, true);
    text(money(refund.amountMinor, refund.currency), MARGIN + CONTENT / 2, y, CONTENT / 2 - 2, true, "right");
    y += 16;
  }
  if (input.seller.iban && input.currencies.length > 0) {
    if (y > BOTTOM - 40) {
      doc.addPage();
      y = MARGIN;
    }
    text(t.payment, MARGIN, y, CONTENT, true);
    text(
      `IBAN ${input.seller.iban}${input.seller.bic ? `   BIC ${input.seller.bic}` : ""}`,
      MARGIN,
      y + 13,
      CONTENT,
    );
    y += 32;
  }
  if (input.currencies.length > 0) text(t.closing, MARGIN, y, CONTENT);
  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    doc.page.margins.bottom = 0;
    doc.font("regular").fontSize(7);
    doc.text(t.page(i + 1, pages.count), MARGIN, PAGE_HEIGHT - 40, {
      width: CONTENT,
      align: "right",
      lineBreak: false,
    });
  }
  doc.end();
  return bytes;
}
