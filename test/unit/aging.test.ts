import { describe, expect, it } from "vitest";
import {
  type AgingAggregateRow,
  averageDaysDelinquent,
  bestPossibleDso,
  bucketFor,
  bucketIndex,
  bucketLabels,
  buildAgingReport,
  collectionEffectiveness,
  DEFAULT_AGING_EDGES,
  daysPastDue,
  dsoCountback,
  dsoSimple,
  rankDebtors,
  sumBuckets,
  toAgingJson,
  validateAgingEdges,
} from "../../src/domain/aging.ts";
import { DomainError } from "../../src/domain/errors.ts";

const row = (over: Partial<AgingAggregateRow>): AgingAggregateRow => ({
  clientId: "c1",
  externalId: "ACME",
  clientName: "Acme",
  currency: "EUR",
  bucket: 0,
  openMinor: 1000,
  count: 1,
  maxDaysPastDue: 0,
  weightedMinorDays: "0",
  ...over,
});

describe("days past due and buckets", () => {
  const asOf = "2026-03-31";
  const bucketOfDue = (due: string) => bucketFor(daysPastDue(asOf, due), DEFAULT_AGING_EDGES);

  it("counts calendar days, across month ends and leap years", () => {
    expect(daysPastDue("2026-03-01", "2026-02-28")).toBe(1);
    expect(daysPastDue("2024-03-01", "2024-02-28")).toBe(2);
    expect(daysPastDue("2026-01-01", "2025-12-31")).toBe(1);
    expect(daysPastDue("2026-03-31", "2026-04-10")).toBe(-10);
  });

  it("puts the documented edges where docs/aging.md says", () => {
    expect(bucketLabels(DEFAULT_AGING_EDGES)).toEqual(["current", "1-30", "31-60", "61-90", "90+"]);
    expect(bucketOfDue("2026-04-15")).toBe("current"); // not yet due
    expect(bucketOfDue("2026-03-31")).toBe("current"); // due today
    expect(bucketOfDue("2026-03-30")).toBe("1-30"); // 1 day
    expect(bucketOfDue("2026-03-01")).toBe("1-30"); // exactly 30
    expect(bucketOfDue("2026-02-28")).toBe("31-60"); // 31
    expect(bucketOfDue("2025-12-31")).toBe("61-90"); // exactly 90
    expect(bucketOfDue("2025-12-30")).toBe("90+"); // 91
  });

  it("supports custom edges from the workspace settings", () => {
    const edges = validateAgingEdges([15, 45]);
    expect(bucketLabels(edges)).toEqual(["current", "1-15", "16-45", "45+"]);
    expect(bucketIndex(15, edges)).toBe(1);
    expect(bucketIndex(16, edges)).toBe(2);
    expect(bucketIndex(46, edges)).toBe(3);
    expect(validateAgingEdges(undefined)).toEqual([30, 60, 90]);
  });

  it("refuses edges that are not increasing positive whole days", () => {
    for (const bad of [[30, 30], [60, 30], [0, 30], [1.5], [-1], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
      expect(() => validateAgingEdges(bad)).toThrow(DomainError);
    }
  });

  it("refuses impossible dates with a message saying how to write them", () => {
    const error = (() => {
      try {
        daysPastDue("2026-02-30", "2026-01-01");
      } catch (caught) {
        return caught as DomainError;
      }
    })();
    expect(error?.userMessage).toMatch(/YYYY-MM-DD/);
    expect(() => daysPastDue("31/03/2026", "2026-01-01")).toThrow(DomainError);
  });
});

describe("buildAgingReport", () => {
  const base = { asOf: "2026-03-31", basis: "due" as const, baseCurrency: "EUR", edges: [30, 60, 90] };

  it("buckets always sum to the total open amount, per currency and per client (randomised)", () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 50; round++) {
      const rows: AgingAggregateRow[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < 40; i++) {
        const client = `c${random(8)}`;
        const currency = ["EUR", "USD", "JPY"][random(3)] ?? "EUR";
        const bucket = random(5);
        const key = `${client}:${currency}:${bucket}`;
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push(
          row({
            clientId: client,
            externalId: client,
            clientName: client,
            currency,
            bucket,
            openMinor: random(1_000_000) - 50_000, // partial credit can leave a negative item
            count: 1 + random(4),
            maxDaysPastDue: bucket * 30,
            weightedMinorDays: String(random(10_000_000)),
          }),
        );
      }
      const report = buildAgingReport({
        ...base,
        rows,
        rates: [{ currency: "USD", rate: "0.9", onDate: "2026-03-31" }],
      });
      const openTotal = (currency: string) =>
        rows.filter((r) => r.currency === currency).reduce((s, r) => s + r.openMinor, 0);
      for (const [currency, totals] of Object.entries(report.currencies)) {
        expect(sumBuckets(totals.buckets)).toBe(totals.total);
        expect(totals.total).toBe(openTotal(currency));
      }
      for (const client of report.clients) expect(sumBuckets(client.buckets)).toBe(client.total);
      expect(sumBuckets(report.base.buckets)).toBe(report.base.total);
    }
  });

  it("never adds a currency without a stored rate: it is reported as not converted", () => {
    const report = buildAgingReport({
      ...base,
      rows: [
        row({ currency: "EUR", openMinor: 10_000 }),
        row({ clientId: "c2", currency: "USD", openMinor: 20_000 }),
        row({ clientId: "c3", currency: "GBP", openMinor: 5_000, bucket: 2 }),
        row({ clientId: "c4", currency: "JPY", openMinor: 100_000, bucket: 4 }),
      ],
      rates: [
        { currency: "USD", rate: "0.92", onDate: "2026-03-30" },
        { currency: "JPY", rate: "0.0061", onDate: "2026-03-31" },
      ],
    });
    expect(report.currencies.GBP?.total).toBe(5_000);
    expect(report.base.notConverted).toEqual(["GBP"]);
    // 10,000 + 20,000 × 0.92 + ¥100,000 × 0.0061 = €100.00 + €184.00 + €610.00
    expect(report.base.total).toBe(10_000 + 18_400 + 61_000);
    expect(report.base.buckets).toEqual([10_000 + 18_400, 0, 0, 0, 61_000]);
    expect(report.base.ratesUsed.map((r) => r.currency)).toEqual(["JPY", "USD"]);
  });

  it("ranks top debtors by amount × age in the base currency, unconvertible currencies last", () => {
    const report = buildAgingReport({
      ...base,
      rows: [
        row({
          clientId: "small-old",
          clientName: "Small old",
          openMinor: 1_000,
          bucket: 4,
          weightedMinorDays: "200000",
        }),
        row({
          clientId: "big-new",
          clientName: "Big new",
          openMinor: 100_000,
          bucket: 1,
          weightedMinorDays: "100000",
        }),
        row({
          clientId: "usd",
          clientName: "Dollar",
          currency: "USD",
          openMinor: 100_000,
          bucket: 3,
          weightedMinorDays: "8000000",
        }),
        row({
          clientId: "chf",
          clientName: "Franc",
          currency: "CHF",
          openMinor: 9_000_000,
          bucket: 4,
          weightedMinorDays: "900000000",
        }),
        row({ clientId: "current", clientName: "Current", openMinor: 50_000 }),
      ],
      rates: [{ currency: "USD", rate: "0.5", onDate: "2026-03-31" }],
    });
    // The report keeps SQL's order; rankDebtors is the oracle that order is checked against.
    const ranked = rankDebtors(report.clients);
    expect(ranked.map((c) => c.clientId)).toEqual(["usd", "small-old", "big-new", "current", "chf"]);
    expect(ranked.at(-1)?.scoreInBase).toBeNull();
  });

  it("merges one client's buckets and keeps the oldest days past due", () => {
    const report = buildAgingReport({
      ...base,
      rows: [
        row({ bucket: 1, openMinor: 300, maxDaysPastDue: 12 }),
        row({ bucket: 4, openMinor: 700, maxDaysPastDue: 140 }),
      ],
      rates: [],
    });
    expect(report.clients).toHaveLength(1);
    expect(report.clients[0]).toMatchObject({
      total: 1000,
      oldestDaysPastDue: 140,
      buckets: [0, 300, 0, 0, 700],
    });
  });

  it("produces the documented JSON shape with integer minor units", () => {
    const report = buildAgingReport({
      ...base,
      rows: [row({ bucket: 2, openMinor: 12_345, count: 2, maxDaysPastDue: 40 })],
      rates: [],
    });
    expect(toAgingJson(report)).toEqual({
      asOf: "2026-03-31",
      basis: "due",
      baseCurrency: "EUR",
      buckets: ["current", "1-30", "31-60", "61-90", "90+"],
      currencies: {
        EUR: { current: 0, "1-30": 0, "31-60": 12_345, "61-90": 0, "90+": 0, total: 12_345, count: 2 },
      },
      clients: [
        {
          externalId: "ACME",
          name: "Acme",
          currency: "EUR",
          total: 12_345,
          oldestDaysPastDue: 40,
          buckets: { current: 0, "1-30": 0, "31-60": 12_345, "61-90": 0, "90+": 0 },
        },
      ],
    });
  });
});

describe("metrics (invoicing-rules.md §6 worked examples)", () => {
  it("DSO 45, best possible DSO 12, ADD 33", () => {
    const dso = dsoSimple(15_000, 10_000, 30);
    const bpdso = bestPossibleDso(4_000, 10_000, 30);
    expect(dso).toBe(45);
    expect(bpdso).toBe(12);
    expect(averageDaysDelinquent(dso, bpdso)).toBe(33);
  });

  it("countback DSO: AR 212k, sales 100k / 80k / 70k ≈ 73.7 days", () => {
    const result = dsoCountback(212_000, [
      { days: 30, sales: 100_000 },
      { days: 30, sales: 80_000 },
      { days: 30, sales: 70_000 },
    ]);
    expect(result.days).toBeCloseTo(73.7, 1);
    expect(result.exhausted).toBe(false);
    expect(dsoCountback(500_000, [{ days: 31, sales: 100_000 }])).toEqual({ days: 31, exhausted: true });
  });

  it("CEI with full-period sales: 100 % when everything collectible was collected", () => {
    expect(collectionEffectiveness(10_000, 5_000, 2_000, 2_000)).toBe(100);
    // (100 + 50 − 60) ÷ (100 + 50 − 20) × 100 = 90 / 130
    expect(collectionEffectiveness(100, 50, 60, 20)).toBeCloseTo(69.2, 1);
    expect(collectionEffectiveness(0, 0, 0, 0)).toBeNull();
    expect(dsoSimple(100, 0, 30)).toBeNull();
  });

  it("computes metrics per currency inside the report", () => {
    const report = buildAgingReport({
      asOf: "2026-03-31",
      basis: "due",
      baseCurrency: "EUR",
      edges: [30, 60, 90],
      rows: [row({ bucket: 0, openMinor: 4_000 }), row({ bucket: 2, openMinor: 11_000 })],
      rates: [],
      metricsInput: {
        EUR: {
          periodSales: 10_000,
          periodDays: 30,
          months: [{ days: 31, sales: 10_000 }],
          monthSales: 10_000,
          monthCollected: 5_000,
          monthInterestBilled: 0,
        },
      },
    });
    expect(report.metrics.EUR).toMatchObject({ dso: 45, bestPossibleDso: 12, averageDaysDelinquent: 33 });
    // beginning AR = 15,000 − 10,000 + 5,000 = 10,000 → (10,000 + 10,000 − 15,000) ÷ (20,000 − 4,000)
    expect(report.metrics.EUR?.cei).toBeCloseTo(31.3, 1);
  });
});
