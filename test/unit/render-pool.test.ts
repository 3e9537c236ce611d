import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { afterAll, describe, expect, it } from "vitest";
import { computeInvoiceTotals } from "../../src/domain/invoice-totals.ts";
import type { PrintableInvoice } from "../../src/pdf/invoice-model.ts";
import type { PdfInput } from "../../src/pdf/render-in-thread.ts";
import { createPdfRenderPool } from "../../src/pdf/render-pool.ts";
import { FR_SELLER } from "../helpers/sellers.ts";

async function textOf(bytes: Buffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
  const content = await (await pdf.getPage(1)).getTextContent();
  await pdf.destroy();
  return content.items.map((item) => ("str" in item ? item.str : "")).join(" ");
}

function input(number: string, description: string): PdfInput {
  const lines = [
    {
      description,
      quantityMilli: 2000,
      unitCode: "DAY",
      unitPriceMinor: 60_000,
      vatRateBp: 2000,
      vatCategory: "S" as const,
    },
  ];
  const totals = computeInvoiceTotals(lines);
  const invoice: PrintableInvoice = {
    kind: "invoice",
    number,
    currency: "EUR",
    issueDate: "2026-11-23",
    dueDate: "2026-12-23",
    servicePeriodStart: null,
    servicePeriodEnd: null,
    subtotalMinor: totals.subtotalMinor,
    vatMinor: totals.vatMinor,
    withholdingMinor: 0,
    withholdingRateBp: 0,
    totalMinor: totals.totalMinor,
    vatBreakdown: totals.vatBreakdown,
    baseCurrency: "EUR",
    exchangeRate: "1",
    exchangeRateDate: "2026-11-23",
    seller: FR_SELLER,
    buyer: {
      name: "Client Industriel SA",
      address: { line1: "1 rue de la Paix", postcode: "75002", city: "Paris", country: "FR" },
      country: "FR",
      taxId: "FR40303265045",
      emails: [],
      language: "fr",
      profile: "business",
    },
    paymentTermsDays: 30,
    paymentTermsRule: "net",
    correctionReason: null,
  };
  return {
    invoice,
    lines: lines.map((l) => ({
      ...l,
      netMinor: totals.lineNetsMinor[0] ?? 0,
      periodStart: null,
      periodEnd: null,
    })),
    options: {},
  };
}

describe("PDF render pool", () => {
  const pool = createPdfRenderPool(2);
  afterAll(() => pool.close());

  it("renders on worker threads, each PDF with its own invoice, many at once", async () => {
    await pool.ready();
    const numbers = Array.from({ length: 12 }, (_, i) => `F-2026-${String(i + 1).padStart(5, "0")}`);
    const pdfs = await Promise.all(numbers.map((n) => pool(input(n, `Atelier de cadrage ${n}`))));
    for (const [i, pdf] of pdfs.entries()) {
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      const text = await textOf(pdf);
      expect(text).toContain(`N° ${numbers[i]}`);
      expect(text).toContain(`Atelier de cadrage ${numbers[i]}`);
    }
  }, 60_000); // starting a worker loads the TypeScript loader, pdfkit and the fonts

  it("fails one render with the renderer's reason and keeps serving the next ones", async () => {
    const broken = input("F-2026-00099", "Audit");
    broken.invoice.buyer = null;
    await expect(pool(broken)).rejects.toThrow(/PDF rendering failed: only an issued invoice/);
    const text = await textOf(await pool(input("F-2026-00100", "Audit")));
    expect(text).toContain("F-2026-00100");
  });
});
