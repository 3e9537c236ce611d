// Issued invoices as the PDF renderer takes them, and the text of a rendered PDF, for tests.
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { computeInvoiceTotals, storedTotals, type VatCategory } from "../../src/domain/invoice-totals.ts";
import type { PrintableInvoice, PrintableLine } from "../../src/pdf/invoice-model.ts";
import { FR_SELLER } from "./sellers.ts";

export async function pdfText(bytes: Buffer): Promise<{ pages: string[]; all: string }> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(
      content.items
        .map((item) => ("str" in item ? item.str : ""))
        .join(" ")
        .replace(/\s+/g, " "),
    );
  }
  await pdf.destroy();
  return { pages, all: pages.join(" ") };
}

/** 7 minutes at €100.00 an hour: quantity in minutes, priced per 60 minutes (net €11.67). */
export const SEVEN_MINUTES_LINE = {
  description: "Ada: 0 h 07",
  quantityMilli: 7000,
  unitCode: "MIN",
  unitPriceMinor: 10_000,
  priceBaseQuantityMilli: 60_000,
  vatRateBp: 2000,
};

/** An issued French B2B invoice (30 days net) with the given lines; `over` changes any field. */
export function issued(
  over: Partial<PrintableInvoice>,
  lineSpecs: {
    description: string;
    quantityMilli: number;
    unitPriceMinor: number;
    unitCode?: string;
    priceBaseQuantityMilli?: number;
    vatRateBp: number;
    vatCategory?: VatCategory;
    exemptionReason?: string;
  }[],
): { invoice: PrintableInvoice; lines: PrintableLine[] } {
  const lines = lineSpecs.map((l) => ({ vatCategory: "S" as VatCategory, ...l }));
  const totals = computeInvoiceTotals(lines, over.withholdingRateBp ?? 0);
  return {
    invoice: {
      kind: "invoice",
      number: "F-2026-00042",
      currency: "EUR",
      issueDate: "2026-11-23",
      dueDate: "2026-12-23",
      servicePeriodStart: "2026-11-01",
      servicePeriodEnd: "2026-11-30",
      ...storedTotals(totals),
      baseCurrency: "EUR",
      exchangeRate: "1",
      exchangeRateDate: "2026-11-23",
      seller: { ...FR_SELLER, paymentLink: "https://pay.example/inv" },
      buyer: {
        name: "Client Industriel SA",
        address: { line1: "1 rue de la Paix", postcode: "75002", city: "Paris", country: "FR" },
        country: "FR",
        taxId: "FR40303265045",
        emails: ["ap@client.example"],
        language: "fr",
        profile: "business",
      },
      paymentTermsDays: 30,
      paymentTermsRule: "net",
      correctionReason: null,
      ...over,
    },
    lines: lines.map((l, i) => ({
      unitCode: "HUR",
      ...l,
      netMinor: totals.lineNetsMinor[i] ?? 0,
      periodStart: null,
      periodEnd: null,
    })),
  };
}
