import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.ts";
import {
  computeLateInterest,
  type InterestRate,
  type LateInterestInput,
  parseRatePercent,
} from "../../src/domain/late-interest.ts";

const rates: InterestRate[] = [
  { jurisdiction: "FR", halfYearStart: "2024-01-01", referenceRateBp: 450, totalRateBp: 1450 },
  { jurisdiction: "FR", halfYearStart: "2024-07-01", referenceRateBp: 425, totalRateBp: 1425 },
  { jurisdiction: "FR", halfYearStart: "2025-01-01", referenceRateBp: 315, totalRateBp: 1315 },
  { jurisdiction: "ES", halfYearStart: "2014-01-01", referenceRateBp: 25, totalRateBp: 825 },
  { jurisdiction: "ES", halfYearStart: "2014-07-01", referenceRateBp: 15, totalRateBp: 815 },
  { jurisdiction: "ES", halfYearStart: "2020-01-01", referenceRateBp: 0, totalRateBp: 800 },
  { jurisdiction: "EU", halfYearStart: "2024-07-01", referenceRateBp: 425, totalRateBp: 1225 },
];

const base = (overrides: Partial<LateInterestInput>): LateInterestInput => ({
  jurisdiction: "FR",
  profile: "business",
  currency: "EUR",
  dueDate: "2024-09-30",
  openAtDueMinor: 1_200_000,
  settlements: [],
  asOf: "2024-09-30",
  rates,
  ...overrides,
});

describe("late interest", () => {
  it("charges a French public buyer ECB + 8 fixed at the half-year the delay began (R2192-31)", () => {
    const late = {
      dueDate: "2024-06-20",
      openAtDueMinor: 1_000_000,
      settlements: [{ on: "2024-07-10", amountMinor: 1_000_000 }],
      asOf: "2024-08-01",
    };
    const publicBuyer = computeLateInterest(base({ ...late, profile: "public" }));
    // 21 June – 10 July: 20 days at 4.50 + 8 = 12.50 %, no cut at 1 July: 10,000 × 12.5 % × 20/365.
    expect(publicBuyer.segments.map((s) => [s.from, s.to, s.rateBp])).toEqual([
      ["2024-06-21", "2024-06-30", 1250],
      ["2024-07-01", "2024-07-10", 1250],
    ]);
    expect(publicBuyer.interest).toEqual({ amountMinor: 6849, currency: "EUR" });
    expect(publicBuyer.compensation).toEqual({ amountMinor: 4000, currency: "EUR" });
    // A business pays the commercial code's + 10, each half-year at its own rate.
    const business = computeLateInterest(base({ ...late, profile: "business" }));
    expect(business.segments.map((s) => s.rateBp)).toEqual([1450, 1425]);
  });

  it("reproduces the French worked example: €12,000 paid 30 days late → €140.55 + €40", () => {
    const result = computeLateInterest(
      base({ settlements: [{ on: "2024-10-30", amountMinor: 1_200_000 }], asOf: "2024-12-31" }),
    );
    expect(result.interest).toEqual({ amountMinor: 14055, currency: "EUR" });
    expect(result.compensation).toEqual({ amountMinor: 4000, currency: "EUR" });
    expect(result.segments).toEqual([
      { from: "2024-10-01", to: "2024-10-30", days: 30, baseMinor: 1_200_000, rateBp: 1425 },
    ]);
  });

  it("reproduces the French partial-payment example across 1 July: €55.21, rounded once", () => {
    const result = computeLateInterest(
      base({
        dueDate: "2024-06-20",
        openAtDueMinor: 1_000_000,
        settlements: [
          { on: "2024-06-25", amountMinor: 400_000 },
          { on: "2024-07-10", amountMinor: 600_000 },
        ],
        asOf: "2024-08-01",
      }),
    );
    expect(result.segments.map((s) => [s.from, s.to, s.days, s.baseMinor, s.rateBp])).toEqual([
      ["2024-06-21", "2024-06-25", 5, 1_000_000, 1450],
      ["2024-06-26", "2024-06-30", 5, 600_000, 1450],
      ["2024-07-01", "2024-07-10", 10, 600_000, 1425],
    ]);
    // Rounding each piece (19.86 + 11.92 + 23.42 = 55.20) would lose a cent.
    expect(result.interest.amountMinor).toBe(5521);
    expect(result.compensation.amountMinor).toBe(4000);
  });

  it("France across 31 December: €8,000 unpaid from 2024-12-16 to 2025-01-14 (hand computed)", () => {
    // 16–31 Dec: 8000 × 14.25 % × 16/365 = 49.9726; 1–14 Jan: 8000 × 13.15 % × 14/365 = 40.3507
    // sum 90.3233 → €90.32
    const result = computeLateInterest(
      base({ dueDate: "2024-12-15", openAtDueMinor: 800_000, asOf: "2025-01-14" }),
    );
    expect(result.segments.map((s) => s.days)).toEqual([16, 14]);
    expect(result.interest.amountMinor).toBe(9032);
  });

  it("Spain across 1 July 2014 with the BOE totals (8.25 % then 8.15 %): €5,000 → €44.93", () => {
    // 11–30 Jun: 5000 × 8.25 % × 20/365 = 22.6027; 1–20 Jul: 5000 × 8.15 % × 20/365 = 22.3288
    // sum 44.9315 → €44.93
    const result = computeLateInterest(
      base({
        jurisdiction: "ES",
        dueDate: "2014-06-10",
        openAtDueMinor: 500_000,
        settlements: [{ on: "2014-07-20", amountMinor: 500_000 }],
        asOf: "2014-09-01",
      }),
    );
    expect(result.segments.map((s) => [s.days, s.rateBp])).toEqual([
      [20, 825],
      [20, 815],
    ]);
    expect(result.interest.amountMinor).toBe(4493);
    expect(result.compensation.amountMinor).toBe(4000);
  });

  it("Spain H1 2020 at 8.00 % while still unpaid, up to the as-of date inclusive", () => {
    // 1000 × 8 % × 31/365 = 6.7945 → €6.79
    const result = computeLateInterest(
      base({ jurisdiction: "ES", dueDate: "2020-02-29", openAtDueMinor: 100_000, asOf: "2020-03-31" }),
    );
    expect(result.interest.amountMinor).toBe(679);
  });

  it("EU test vector: 12.25 % from 1 July 2024", () => {
    // 10000 × 12.25 % × 10/365 = 33.5616
    const result = computeLateInterest(
      base({ jurisdiction: "EU", dueDate: "2024-07-05", openAtDueMinor: 1_000_000, asOf: "2024-07-15" }),
    );
    expect(result.interest.amountMinor).toBe(3356);
  });

  it("gives individuals neither interest nor the €40, and public bodies both", () => {
    const individual = computeLateInterest(base({ profile: "individual", asOf: "2024-10-30" }));
    expect(individual.interest.amountMinor).toBe(0);
    expect(individual.compensation.amountMinor).toBe(0);
    const publicBody = computeLateInterest(base({ profile: "public", asOf: "2024-10-30" }));
    // At the public procurement code's ECB + 8 (R2192-31): 12,000 × 12.25 % × 30/365.
    expect(publicBody.interest.amountMinor).toBe(12082);
    expect(publicBody.compensation.amountMinor).toBe(4000);
  });

  it("owes nothing on the due date itself nor when paid on time", () => {
    expect(computeLateInterest(base({ asOf: "2024-09-30" })).compensation.amountMinor).toBe(0);
    const onTime = computeLateInterest(
      base({ settlements: [{ on: "2024-09-30", amountMinor: 1_200_000 }], asOf: "2024-12-01" }),
    );
    expect(onTime.interest.amountMinor).toBe(0);
    expect(onTime.compensation.amountMinor).toBe(0);
  });

  it("rounds half up once (JPY has no decimals)", () => {
    // 365 × 10 % × 5 / 365 = 0.5 exactly → 1
    const result = computeLateInterest(
      base({
        currency: "JPY",
        dueDate: "2024-09-30",
        openAtDueMinor: 365,
        asOf: "2024-10-05",
        contractualRateBp: 1000,
      }),
    );
    expect(result.interest).toEqual({ amountMinor: 1, currency: "JPY" });
  });

  it("can fix the rate at the due date (IE/UK style)", () => {
    const result = computeLateInterest(
      base({
        dueDate: "2024-06-20",
        openAtDueMinor: 1_000_000,
        asOf: "2024-07-10",
        fixing: "fixedAtDueDate",
      }),
    );
    expect(result.segments.every((s) => s.rateBp === 1450)).toBe(true);
  });

  it("tells the user which half-year rate is missing", () => {
    const missing = () => computeLateInterest(base({ dueDate: "2030-01-10", asOf: "2030-02-01" }));
    expect(missing).toThrow(DomainError);
    expect(missing).toThrow(/2030/);
    try {
      missing();
    } catch (error) {
      expect((error as DomainError).userMessage).toContain("cobro rates import");
    }
  });

  it("parses rates as exact basis points", () => {
    expect(parseRatePercent("14.25")).toBe(1425);
    expect(parseRatePercent("8")).toBe(800);
    expect(parseRatePercent("8.1")).toBe(810);
    expect(() => parseRatePercent("8,15")).toThrow(DomainError);
  });
});
