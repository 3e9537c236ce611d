import { afterAll, describe, expect, it } from "vitest";
import type { PdfInput } from "../../src/pdf/render-invoice.ts";
import { createPdfRenderPool } from "../../src/pdf/render-pool.ts";
import { issued, pdfText } from "../helpers/printable-invoice.ts";

const input = (number: string, description: string): PdfInput => ({
  ...issued({ number }, [{ description, quantityMilli: 2000, unitPriceMinor: 60_000, vatRateBp: 2000 }]),
  options: {},
});

describe("PDF render pool", () => {
  const pool = createPdfRenderPool(2);
  afterAll(() => pool.close());

  it("renders on worker threads, each PDF with its own invoice, many at once", async () => {
    await pool.ready();
    const numbers = Array.from({ length: 12 }, (_, i) => `F-2026-${String(i + 1).padStart(5, "0")}`);
    const pdfs = await Promise.all(numbers.map((n) => pool(input(n, `Atelier de cadrage ${n}`))));
    for (const [i, pdf] of pdfs.entries()) {
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      const { all } = await pdfText(pdf);
      expect(all).toContain(`N° ${numbers[i]}`);
      expect(all).toContain(`Atelier de cadrage ${numbers[i]}`);
    }
  }, 60_000); // starting a worker loads the TypeScript loader, pdfkit and the fonts

  it("fails one render with the renderer's reason and keeps serving the next ones", async () => {
    const broken = input("F-2026-00099", "Audit");
    broken.invoice.buyer = null;
    await expect(pool(broken)).rejects.toThrow(/PDF rendering failed: only an issued invoice/);
    const { all } = await pdfText(await pool(input("F-2026-00100", "Audit")));
    expect(all).toContain("F-2026-00100");
  });
});
