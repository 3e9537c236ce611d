import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeInvoiceTotals, computeLineNet, type TotalsLine } from "../../src/domain/invoice-totals.ts";
import { formatMoney } from "../../src/domain/money.ts";

const line = (over: Partial<TotalsLine> = {}): TotalsLine => ({
  quantityMilli: 1000,
  unitPriceMinor: 10_000,
  vatCategory: "S",
  vatRateBp: 2000,
  ...over,
});

/** What the user is told when the call is refused. */
function userMessageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { userMessage?: string }).userMessage ?? String(error);
  }
  return "not refused";
}

describe("invoice totals", () => {
  it("groups VAT per rate and category, with an exempt 0 % line", () => {
    const totals = computeInvoiceTotals([
      line({ quantityMilli: 7500, unitPriceMinor: 9000 }), // 7.5 h × 90.00 = 675.00 at 20 %
      line({ unitPriceMinor: 20_000, vatRateBp: 550 }), // 200.00 at 5.5 %
      line({ unitPriceMinor: 50_000, vatRateBp: 0, vatCategory: "E", exemptionReason: "Art. 261-4-4° CGI" }),
      line({ quantityMilli: 2000, unitPriceMinor: 1_250 }), // 25.00 at 20 %
    ]);
    expect(totals.lineNetsMinor).toEqual([67_500, 20_000, 50_000, 2_500]);
    expect(totals.vatBreakdown).toEqual([
      { category: "S", rateBp: 2000, baseMinor: 70_000, vatMinor: 14_000 },
      { category: "S", rateBp: 550, baseMinor: 20_000, vatMinor: 1_100 },
      { category: "E", rateBp: 0, baseMinor: 50_000, vatMinor: 0, exemptionReason: "Art. 261-4-4° CGI" },
    ]);
    expect(totals).toMatchObject({
      subtotalMinor: 140_000,
      vatMinor: 15_100,
      totalMinor: 155_100,
      collectibleMinor: 155_100,
    });
  });

  it("rounds VAT once on the rate's total, not per line (EN 16931 BR-CO-17)", () => {
    // Three lines of 0.10 at 5.5 %: per line 0.0055 → 0.01 each = 0.03; on the total 0.30 × 5.5 % = 0.0165 → 0.02.
    const lines = [1, 2, 3].map(() => line({ unitPriceMinor: 10, vatRateBp: 550 }));
    const perLine = lines.reduce(
      (sum, l) => sum + Math.round((computeLineNet(l.quantityMilli, l.unitPriceMinor) * 550) / 10_000 + 1e-9),
      0,
    );
    expect(perLine).toBe(3);
    expect(computeInvoiceTotals(lines).vatMinor).toBe(2);
  });

  it("rounds a line net once, half away from zero", () => {
    expect(computeLineNet(333, 1_000)).toBe(333); // 0.333 × 10.00 = 3.33
    expect(computeLineNet(1_500, 1)).toBe(2); // 1.5 × 0.01 = 0.015 → 0.02
    expect(computeLineNet(-1_500, 1)).toBe(-2);
  });

  it("keeps Spanish IRPF apart from VAT: due = base + VAT − withholding", () => {
    const totals = computeInvoiceTotals([line({ unitPriceMinor: 100_000, vatRateBp: 2100 })], 1500);
    expect(totals).toMatchObject({
      subtotalMinor: 100_000,
      vatMinor: 21_000,
      totalMinor: 121_000,
      withholdingMinor: 15_000,
      collectibleMinor: 106_000,
    });
  });

  it("works in the currency's own minor unit (JPY 0, KWD 3)", () => {
    const jpy = computeInvoiceTotals([
      line({ quantityMilli: 3000, unitPriceMinor: 12_345, vatRateBp: 1000 }),
    ]);
    expect(jpy).toMatchObject({ subtotalMinor: 37_035, vatMinor: 3_704, totalMinor: 40_739 });
    expect(formatMoney({ amountMinor: jpy.totalMinor, currency: "JPY" }, "en")).toBe("¥40,739");
    const kwd = computeInvoiceTotals([
      line({ quantityMilli: 1000, unitPriceMinor: 1_234_567, vatRateBp: 500 }),
    ]);
    expect(kwd).toMatchObject({ subtotalMinor: 1_234_567, vatMinor: 61_728, totalMinor: 1_296_295 });
    expect(formatMoney({ amountMinor: kwd.totalMinor, currency: "KWD" }, "en").replace(/\u00a0/g, " ")).toBe(
      "KWD 1,296.295",
    );
  });

  it("refuses 0 % VAT without an exemption category and reason", () => {
    expect(userMessageOf(() => computeInvoiceTotals([line({ vatRateBp: 0 })]))).toMatch(
      /only allowed with an exemption/,
    );
    expect(userMessageOf(() => computeInvoiceTotals([line({ vatRateBp: 0, vatCategory: "E" })]))).toMatch(
      /exemption reason/,
    );
    expect(userMessageOf(() => computeInvoiceTotals([line({ vatRateBp: 2000, vatCategory: "AE" })]))).toMatch(
      /0 % category/,
    );
    expect(() =>
      computeInvoiceTotals([line({ vatRateBp: 0, vatCategory: "AE", exemptionReason: "Autoliquidation" })]),
    ).not.toThrow();
  });

  it("always adds up exactly in minor units (property)", () => {
    const arbLine = fc.record({
      quantityMilli: fc.integer({ min: 1, max: 1_000_000 }),
      unitPriceMinor: fc.integer({ min: 0, max: 10_000_000 }),
      priceBaseQuantityMilli: fc.constantFrom(1000, 1000, 60_000, 100_000),
      vatRateBp: fc.constantFrom(0, 400, 550, 1000, 2000, 2100),
    });
    fc.assert(
      fc.property(
        fc.array(arbLine, { minLength: 1, maxLength: 40 }),
        fc.constantFrom(0, 700, 1500),
        (specs, withholding) => {
          const lines = specs.map((s) =>
            s.vatRateBp === 0 ? line({ ...s, vatCategory: "E", exemptionReason: "exempt" }) : line({ ...s }),
          );
          const t = computeInvoiceTotals(lines, withholding);
          const sumLines = t.lineNetsMinor.reduce((a, b) => a + b, 0);
          const sumBases = t.vatBreakdown.reduce((a, r) => a + r.baseMinor, 0);
          const sumVat = t.vatBreakdown.reduce((a, r) => a + r.vatMinor, 0);
          expect(Number.isSafeInteger(t.totalMinor)).toBe(true);
          expect(sumLines).toBe(t.subtotalMinor);
          expect(sumBases).toBe(t.subtotalMinor);
          expect(sumVat).toBe(t.vatMinor);
          expect(t.totalMinor).toBe(t.subtotalMinor + t.vatMinor);
          expect(t.collectibleMinor).toBe(t.totalMinor - t.withholdingMinor);
          specs.forEach((s, i) => {
            // Each line net is quantity × price / base quantity within half a minor unit.
            const exact = s.quantityMilli * s.unitPriceMinor;
            expect(
              Math.abs((t.lineNetsMinor[i] ?? 0) * s.priceBaseQuantityMilli - exact),
            ).toBeLessThanOrEqual(s.priceBaseQuantityMilli / 2);
          });
          for (const row of t.vatBreakdown) {
            // Each category's VAT is within half a minor unit of the exact value.
            expect(Math.abs(row.vatMinor * 10_000 - row.baseMinor * row.rateBp)).toBeLessThanOrEqual(5_000);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
