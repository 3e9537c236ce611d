import { describe, expect, it } from "vitest";
import { isDomainError } from "../../src/domain/errors.ts";
import {
  allocate,
  convert,
  currencyExponent,
  divideRounded,
  formatMoney,
  parseAmount,
  parseTypedAmount,
  toDecimalString,
  toTypedAmount,
} from "../../src/domain/money.ts";

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isDomainError(error) ? error.userMessage : `not a DomainError: ${String(error)}`;
  }
  return "accepted";
};

describe("parseAmount", () => {
  it("reads decimal strings exactly, with or without grouping, per currency exponent", () => {
    expect(parseAmount("1234.56", "EUR")).toBe(123456);
    expect(parseAmount("1,234.56", "EUR")).toBe(123456);
    expect(parseAmount(" 12 ", "EUR")).toBe(1200);
    expect(parseAmount("0.1", "EUR")).toBe(10);
    expect(parseAmount("-7.05", "EUR")).toBe(-705);
    expect(parseAmount("+3", "USD")).toBe(300);
    expect(parseAmount("1500", "JPY")).toBe(1500);
    expect(parseAmount("1.234", "KWD")).toBe(1234);
    expect(parseAmount("0.29", "EUR") + parseAmount("0.01", "EUR")).toBe(30);
    expect(parseAmount("90071992547409.91", "EUR")).toBe(9007199254740991);
  });

  it("reads 1.234,56 with a decimal comma, and NBSP/space grouping", () => {
    expect(parseAmount("1.234,56", "EUR", { decimalComma: true })).toBe(123456);
    expect(parseAmount("1.234.567,8", "EUR", { decimalComma: true })).toBe(123456780);
    expect(parseAmount("99,5", "GBP", { decimalComma: true })).toBe(9950);
    expect(parseAmount("1\u00a0234,56", "EUR", { decimalComma: true })).toBe(123456);
    expect(parseAmount("1 234.56", "EUR")).toBe(123456);
  });

  it("refuses what is not an exact amount in the currency, with a message for the user", () => {
    expect(refusal(() => parseAmount("", "EUR"))).toMatch(/empty/);
    expect(refusal(() => parseAmount("12.345", "EUR"))).toMatch(/EUR has 2 decimals/);
    expect(refusal(() => parseAmount("1.5", "JPY"))).toMatch(/JPY has 0 decimals/);
    expect(refusal(() => parseAmount("1.2345", "KWD"))).toMatch(/KWD has 3 decimals/);
    expect(refusal(() => parseAmount("1,234.56", "EUR", { decimalComma: true }))).toMatch(/1\.234,56/);
    expect(refusal(() => parseAmount("1.234,56", "EUR"))).toMatch(/unexpected/);
    expect(refusal(() => parseAmount("12,34,56", "EUR"))).toMatch(/unexpected/);
    expect(refusal(() => parseAmount("1e3", "EUR"))).toMatch(/unexpected/);
    expect(refusal(() => parseAmount("€12", "EUR"))).toMatch(/unexpected/);
    expect(refusal(() => parseAmount("99999999999999999", "EUR"))).toMatch(/too large/);
    expect(refusal(() => parseAmount("1", "euro"))).toMatch(/three capital letters/);
  });
});

describe("currency exponents and decimal strings", () => {
  it("uses our own ISO 4217 table, not Intl (COP is 2)", () => {
    expect([currencyExponent("JPY"), currencyExponent("KWD"), currencyExponent("EUR")]).toEqual([0, 3, 2]);
    expect(currencyExponent("COP")).toBe(2);
    expect(currencyExponent("CLF")).toBe(4);
  });

  it("prints minor units back as major-unit strings", () => {
    expect(toDecimalString(123456, "EUR")).toBe("1234.56");
    expect(toDecimalString(5, "EUR")).toBe("0.05");
    expect(toDecimalString(-5, "EUR")).toBe("-0.05");
    expect(toDecimalString(1500, "JPY")).toBe("1500");
    expect(toDecimalString(1, "KWD")).toBe("0.001");
    expect(refusal(() => toDecimalString(1.5, "EUR"))).not.toBe("accepted");
  });
});

describe("formatMoney", () => {
  const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");
  it("formats per locale and always with the currency's exponent", () => {
    expect(formatMoney({ amountMinor: 123456, currency: "EUR" }, "en")).toBe("€1,234.56");
    expect(nbsp(formatMoney({ amountMinor: 123456, currency: "EUR" }, "fr"))).toBe("1 234,56 €");
    expect(nbsp(formatMoney({ amountMinor: 123456, currency: "EUR" }, "es"))).toBe("1234,56 €");
    expect(nbsp(formatMoney({ amountMinor: 1234567, currency: "EUR" }, "es"))).toBe("12.345,67 €");
    expect(formatMoney({ amountMinor: 1500, currency: "JPY" }, "en")).toBe("¥1,500");
    expect(formatMoney({ amountMinor: 1234, currency: "KWD" }, "en")).toMatch(/1\.234$/);
    expect(formatMoney({ amountMinor: 100, currency: "COP" }, "en")).toMatch(/1\.00$/);
    expect(formatMoney({ amountMinor: -250, currency: "GBP" }, "en")).toBe("-£2.50");
  });

  it("never goes through a float, even past 2^53 / 100", () => {
    expect(formatMoney({ amountMinor: 9007199254740991, currency: "EUR" }, "en")).toBe(
      "€90,071,992,547,409.91",
    );
  });
});

describe("allocate", () => {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  it("splits without losing a cent, remainders to the largest shares", () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(1000, [50, 30, 20])).toEqual([500, 300, 200]);
    expect(allocate(5, [1, 1, 1, 1, 1, 1, 1])).toEqual([1, 1, 1, 1, 1, 0, 0]);
    expect(allocate(101, [2, 1])).toEqual([67, 34]);
    expect(allocate(0, [1, 2])).toEqual([0, 0]);
  });

  it("keeps the sum for negative amounts and many parts", () => {
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    for (const amount of [1, 999, 123457, -98765, 9007199254740991]) {
      const weights = Array.from({ length: 97 }, (_, i) => (i * 7919) % 101);
      const parts = allocate(amount, weights);
      expect(parts).toHaveLength(97);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(amount);
      expect(parts[weights.indexOf(0)]).toBe(0);
    }
    expect(sum(allocate(1, Array(1000).fill(1)))).toBe(1);
  });

  it("refuses what it cannot split", () => {
    expect(refusal(() => allocate(100, []))).not.toBe("accepted");
    expect(refusal(() => allocate(100, [0, 0]))).not.toBe("accepted");
    expect(refusal(() => allocate(100, [-1, 2]))).not.toBe("accepted");
    expect(refusal(() => allocate(100.5, [1]))).not.toBe("accepted");
  });
});

describe("convert and rounding", () => {
  it("converts with a decimal-string rate, rounded once, across exponents", () => {
    expect(convert(10000, "USD", "EUR", "0.9214")).toBe(9214);
    expect(convert(12345, "EUR", "USD", "1.0845")).toBe(13388); // 133.881525 → 133.88
    expect(convert(10000, "EUR", "JPY", "162.35")).toBe(16235);
    expect(convert(1000, "JPY", "EUR", "0.0061")).toBe(610);
    expect(convert(1000, "EUR", "KWD", "0.333")).toBe(3330);
    expect(convert(-100, "EUR", "USD", "1.005")).toBe(-101);
    expect(refusal(() => convert(100, "EUR", "USD", "-1.1"))).not.toBe("accepted");
    expect(refusal(() => convert(100, "EUR", "USD", "1,1"))).not.toBe("accepted");
  });

  it("rounds half away from zero by default and half even on request", () => {
    expect(divideRounded(5n, 2n)).toBe(3n);
    expect(divideRounded(-5n, 2n)).toBe(-3n);
    expect(divideRounded(5n, 2n, "halfEven")).toBe(2n);
    expect(divideRounded(7n, 2n, "halfEven")).toBe(4n);
    expect(divideRounded(4n, 3n)).toBe(1n);
  });
});

describe("parseTypedAmount (what a person types in Slack)", () => {
  it.each([
    ["1234.56", 123_456],
    ["1,234.56", 123_456],
    ["1234,56", 123_456],
    ["1.234,56", 123_456],
    ["1 234,56", 123_456],
    ["10\u202f000,5", 1_000_050],
    ["1,234", 123_400],
    ["-12,5", -1_250],
  ])("reads %s in EUR as %i cents", (typed, minor) => {
    expect(parseTypedAmount(typed, "EUR")).toBe(minor);
  });

  it("reads a decimal comma to the currency's decimals, and refuses more", () => {
    expect(parseTypedAmount("12,345", "KWD")).toBe(12_345_000);
    expect(parseTypedAmount("12,3", "KWD")).toBe(12_300);
    expect(() => parseTypedAmount("12,5", "JPY")).toThrow("JPY has 0 decimals");
    expect(() => parseTypedAmount("1.234", "EUR")).toThrow("EUR has 2 decimals");
    expect(() => parseTypedAmount("lots", "EUR")).toThrow("unexpected characters or separators");
  });
});

describe("toTypedAmount (a pre-filled Slack field)", () => {
  it.each([
    [2_223_076, "EUR", "fr", "22230,76"],
    [2_223_076, "EUR", "es", "22230,76"],
    [2_223_076, "EUR", "en", "22230.76"],
    [-1_250, "USD", "es", "-12,50"],
    [5_000, "JPY", "fr", "5000"],
    [12_345, "KWD", "fr", "12.345"],
  ])(
    "writes %i %s for a %s reader as %s, which reads back as the same amount",
    (minor, currency, locale, typed) => {
      expect(toTypedAmount(minor, currency, locale)).toBe(typed);
      expect(parseTypedAmount(typed, currency)).toBe(minor);
    },
  );
});
