import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { buildStatement } from "../../src/domain/statement.ts";
import { renderStatementPdf, STATEMENT_TEXT } from "../../src/pdf/render-statement.ts";
import { pdfText } from "../helpers/printable-invoice.ts";
import { FR_SELLER } from "../helpers/sellers.ts";

const invoice = (number: string, dueDate: string, openMinor: number, currency = "EUR") => ({
  number,
  issueDate: "2026-08-01",
  dueDate,
  currency,
  totalMinor: 120_000,
  openMinor,
});

describe("statement of account", () => {
  it("ages each open invoice, sums per currency and never adds currencies", () => {
    const statement = buildStatement({
      asOf: "2026-11-23",
      edges: [30, 60, 90],
      invoices: [
        invoice("F-5", "2026-11-23", 120_000), // due today: not yet due
        invoice("F-4", "2026-10-24", 60_000), // 30 days late
        invoice("F-3", "2026-10-23", 10_000), // 31 days late
        invoice("F-2", "2026-08-25", 5_000), // 90 days late
        invoice("F-1", "2026-08-24", 1_000), // 91 days late
        invoice("F-0", "2026-08-01", 0), // paid: left out
        invoice("G-1", "2026-12-01", 50_000, "GBP"),
      ],
    });
    expect(statement.labels).toEqual(["current", "1-30", "31-60", "61-90", "90+"]);
    const eur = statement.currencies.find((c) => c.currency === "EUR")!;
    expect(eur.lines.map((l) => [l.number, l.daysPastDue, l.bucket])).toEqual([
      ["F-1", 91, 4],
      ["F-2", 90, 3],
      ["F-3", 31, 2],
      ["F-4", 30, 1],
      ["F-5", 0, 0],
    ]);
    expect(eur.buckets).toEqual([120_000, 60_000, 10_000, 5_000, 1_000]);
    expect(eur.totalMinor).toBe(196_000);
    expect(eur.overdueMinor).toBe(76_000);
    expect(statement.currencies.find((c) => c.currency === "GBP")).toMatchObject({
      totalMinor: 50_000,
      overdueMinor: 0,
    });
  });

  it("prints every open invoice, the buckets, the total due and the bank details in the client's language", async () => {
    const statement = buildStatement({
      asOf: "2026-11-23",
      edges: [30, 60, 90],
      invoices: [
        invoice("F-2026-00007", "2026-10-01", 60_500),
        invoice("F-2026-00012", "2026-12-10", 121_000),
      ],
    });
    const client = {
      name: "Client Industriel SA",
      address: { line1: "1 rue de la Paix", postcode: "75002", city: "Paris", country: "FR" },
      language: "fr" as const,
    };
    const { all } = await pdfText(await renderStatementPdf({ ...statement, client, seller: FR_SELLER }));
    const text = all.replace(/\u202f|\u00a0/g, " ");
    for (const expected of [
      "RELEVÉ DE COMPTE",
      "Situation au 23/11/2026",
      "Atelier Durand SAS",
      "Client Industriel SA",
      "F-2026-00007",
      "01/10/2026",
      "53",
      "605,00 €",
      "F-2026-00012",
      "Non échu",
      "31-60 j",
      "Total dû (EUR)",
      "1 815,00 €",
      "dont échu",
      "IBAN FR7630006000011234567890189",
    ]) {
      expect(text).toContain(expected);
    }
    const empty = buildStatement({ asOf: "2026-11-23", edges: [30], invoices: [] });
    const { all: none } = await pdfText(
      await renderStatementPdf({ ...empty, client: { ...client, language: "es" }, seller: FR_SELLER }),
    );
    expect(none).toContain("Ninguna factura pendiente");
  });

  it("runs over several pages when a client has many open invoices", async () => {
    const statement = buildStatement({
      asOf: "2026-11-23",
      edges: [30, 60, 90],
      invoices: Array.from({ length: 120 }, (_, i) =>
        invoice(`F-${String(i).padStart(4, "0")}`, "2026-10-01", 1_000),
      ),
    });
    const client = { name: "Globex", address: null, language: "en" as const };
    const { pages, all } = await pdfText(
      await renderStatementPdf({ ...statement, client, seller: FR_SELLER }),
    );
    expect(pages.length).toBeGreaterThan(1);
    expect(all).toContain("F-0000");
    expect(all).toContain("F-0119");
    expect(pages.at(-1)).toContain(`Page ${pages.length}/${pages.length}`);
  });
});

describe("statement of account columns", () => {
  /** The text of each printed line of the first page, top to bottom (items grouped by their baseline). */
  async function printedLines(bytes: Buffer): Promise<string[]> {
    const pdf = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
    const content = await (await pdf.getPage(1)).getTextContent();
    const byBaseline = new Map<number, string[]>();
    for (const item of content.items) {
      if (!("str" in item) || item.str.trim() === "") continue;
      const y = Math.round(item.transform[5]);
      byBaseline.set(y, [...(byBaseline.get(y) ?? []), item.str]);
    }
    await pdf.destroy();
    return [...byBaseline.entries()].sort(([a], [b]) => b - a).map(([, words]) => words.join(" "));
  }

  it.each(["es", "fr", "en"] as const)(
    "prints each column heading on the header line only (%s)",
    async (language) => {
      const statement = buildStatement({
        asOf: "2026-12-04",
        edges: [30, 60, 90],
        invoices: [invoice("FA26-0145", "2026-09-04", 1_294_242)],
      });
      const client = { name: "Editorial Ñandú SA", address: null, language };
      const lines = await printedLines(await renderStatementPdf({ ...statement, client, seller: FR_SELLER }));
      const headings = STATEMENT_TEXT[language].columns;
      const header = lines.find((line) => line.startsWith(headings[0]));
      expect(header?.replace(/\s+/g, " ")).toBe(headings.join(" "));
      const row = lines.find((line) => line.startsWith("FA26-0145"));
      expect(row).toMatch(/^FA26-0145 \S+ \S+ 91 /);
    },
  );
});
