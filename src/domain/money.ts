// Money is an integer number of minor units next to an ISO 4217 code. Never a float.
import { DomainError } from "./errors.ts";

// ISO 4217 exponents that differ from 2 (our own table: Intl disagrees for COP and others).
const EXPONENTS: Readonly<Record<string, number>> = {
  BHD: 3,
  CLF: 4,
  CLP: 0,
  ISK: 0,
  JPY: 0,
  KRW: 0,
  KWD: 3,
  OMR: 3,
  PYG: 0,
  TND: 3,
  UYI: 0,
  VND: 0,
  XAF: 0,
  XOF: 0,
  IQD: 3,
  JOD: 3,
  LYD: 3,
  BIF: 0,
  DJF: 0,
  GNF: 0,
  KMF: 0,
  RWF: 0,
  UGX: 0,
  VUV: 0,
  XPF: 0,
};

export type Money = { amountMinor: number; currency: string };

const CURRENCY_PATTERN = /^[A-Z]{3}$/;

export function isCurrencyCode(code: string): boolean {
  return CURRENCY_PATTERN.test(code);
}

export function currencyExponent(currency: string): number {
  if (!isCurrencyCode(currency)) {
    throw new DomainError("money.currency", `"${currency}" is not an ISO 4217 currency code`, {
      userMessage: `"${currency}" is not a currency code: use three capital letters such as EUR, USD or GBP.`,
    });
  }
  return EXPONENTS[currency] ?? 2;
}

export function assertMinor(amountMinor: number): number {
  if (!Number.isSafeInteger(amountMinor)) {
    throw new DomainError("money.not_integer", `amount ${amountMinor} is not a safe integer of minor units`);
  }
  return amountMinor;
}

export type ParseAmountOptions = { decimalComma?: boolean };

/**
 * Parses a decimal string in major units ("1234.56", "1.234,56" with decimalComma, "-12") into
 * minor units exactly, by string manipulation only. Refuses more decimals than the currency has.
 */
export function parseAmount(input: string, currency: string, options: ParseAmountOptions = {}): number {
  const exponent = currencyExponent(currency);
  const raw = input.trim().replace(/[\s\u00a0\u202f]/g, "");
  const decimalSeparator = options.decimalComma ? "," : ".";
  const groupSeparator = options.decimalComma ? "." : ",";
  const example = options.decimalComma ? "1.234,56" : "1234.56";
  const fail = (problem: "empty" | "characters" | "decimals" | "too_large", why: string): never => {
    throw new DomainError("money.parse", `cannot read amount "${input}": ${why}`, {
      userMessage: `"${input}" is not an amount (${why}); write it like ${example}.`,
      messageKey: "money.error.not_an_amount",
      messageValues: { text: input, problem, currency, decimals: exponent, example },
    });
  };
  if (raw === "") fail("empty", "it is empty");
  const match = /^([+-]?)(\d{1,3}(?:G\d{3})*|\d+)(?:D(\d+))?$/.source
    .replaceAll("G", `\\${groupSeparator}`)
    .replaceAll("D", `\\${decimalSeparator}`);
  const parts = new RegExp(match).exec(raw);
  if (!parts) return fail("characters", "unexpected characters or separators");
  const [, sign, intPart = "", fraction = ""] = parts;
  if (fraction.length > exponent) {
    fail("decimals", `${currency} has ${exponent} decimal${exponent === 1 ? "" : "s"}`);
  }
  const digits = intPart.replaceAll(groupSeparator, "") + fraction.padEnd(exponent, "0");
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) fail("too_large", "it is too large");
  return sign === "-" && value !== 0 ? -value : value;
}

/**
 * An amount a person typed in Slack, in their own way of writing numbers: "1234.56", "1,234.56",
 * "1234,56", "1.234,56", "1 234,56". The last of two different separators is the decimal one; a lone
 * comma followed by anything but three digits is a decimal comma ("1,234" stays one thousand two
 * hundred and thirty-four, as before). Everything else reads as parseAmount reads it.
 */
export function parseTypedAmount(input: string, currency: string): number {
  const raw = input.replace(/[\s\u00a0\u202f]/g, "");
  const comma = raw.lastIndexOf(",");
  const dot = raw.lastIndexOf(".");
  const loneComma = dot < 0 && comma >= 0 && raw.indexOf(",") === comma && raw.length - comma - 1 !== 3;
  return parseAmount(input, currency, { decimalComma: (dot >= 0 && comma > dot) || loneComma });
}

/**
 * An amount pre-filled in a Slack field, as its reader would type it: "22230,76" for a Spanish or
 * French reader, "22230.76" otherwise. Three-decimal currencies keep the point: parseTypedAmount
 * reads a lone comma before three digits as thousands.
 */
export function toTypedAmount(amountMinor: number, currency: string, locale: string): string {
  const plain = toDecimalString(amountMinor, currency);
  const decimalComma = !locale.startsWith("en") && currencyExponent(currency) !== 3;
  return decimalComma ? plain.replace(".", ",") : plain;
}

/** Minor units back to a plain decimal string in major units ("1234.56"), for CSV and JSON. */
export function toDecimalString(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  assertMinor(amountMinor);
  const negative = amountMinor < 0;
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, "0");
  const integer = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : "";
  return `${negative ? "-" : ""}${integer}${fraction}`;
}

/** Display only: locale formatting, but always with the ISO exponent of the currency. */
export function formatMoney(money: Money, locale: string): string {
  // Intl takes a decimal string exactly, so no float rounding is involved.
  return moneyFormatter(locale, money.currency).format(
    toDecimalString(money.amountMinor, money.currency) as unknown as number,
  );
}

// Building an Intl.NumberFormat costs far more than formatting with it (a PDF formats dozens).
const moneyFormatters = new Map<string, Intl.NumberFormat>();
function moneyFormatter(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = moneyFormatters.get(key);
  if (!formatter) {
    const exponent = currencyExponent(currency);
    formatter = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    moneyFormatters.set(key, formatter);
  }
  return formatter;
}

export type RoundingMode = "halfUp" | "halfEven";

/**
 * The one rounding function: numerator / denominator (bigint) to the nearest integer.
 * Half away from zero by default (EN 16931 and the late-interest rules); half-even on request.
 */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode = "halfUp"): bigint {
  if (denominator === 0n) throw new DomainError("money.divide_by_zero", "division by zero");
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  const twiceRemainder = (n % d) * 2n;
  if (twiceRemainder > d || (twiceRemainder === d && (mode === "halfUp" || quotient % 2n === 1n))) {
    quotient += 1n;
  }
  return negative ? -quotient : quotient;
}

export function toSafeNumber(value: bigint): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw new DomainError("money.overflow", `${value} is out of range`);
  return result;
}

/**
 * Splits an amount into parts proportional to the weights without losing a cent: the
 * remainder goes one unit at a time to the largest fractional shares (ties to the first).
 */
export function allocate(amountMinor: number, weights: readonly number[]): number[] {
  assertMinor(amountMinor);
  if (weights.length === 0) throw new DomainError("money.allocate", "nothing to allocate to");
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) {
    throw new DomainError("money.allocate", "weights must be non-negative integers");
  }
  const total = weights.reduce((sum, w) => sum + BigInt(w), 0n);
  if (total === 0n) throw new DomainError("money.allocate", "weights add up to zero");
  const amount = BigInt(amountMinor);
  const sign = amount < 0n ? -1n : 1n;
  const absolute = amount * sign;
  const shares = weights.map((w) => (absolute * BigInt(w)) / total);
  const remainders = weights.map((w, index) => ({ index, rest: (absolute * BigInt(w)) % total }));
  let left = absolute - shares.reduce((sum, s) => sum + s, 0n);
  remainders.sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : a.index - b.index));
  for (const { index } of remainders) {
    if (left === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return shares.map((s) => toSafeNumber(s * sign));
}

/** Converts with a decimal rate given as a string ("1.0845"), rounded once. */
export function convert(amountMinor: number, from: string, to: string, rate: string): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(rate.trim());
  if (!match) throw new DomainError("money.rate", `exchange rate "${rate}" is not a positive decimal`);
  const [, whole = "0", fraction = ""] = match;
  const rateScaled = BigInt(whole + fraction);
  const rateScale = 10n ** BigInt(fraction.length);
  const shift = currencyExponent(to) - currencyExponent(from);
  let numerator = BigInt(amountMinor) * rateScaled;
  let denominator = rateScale;
  if (shift >= 0) numerator *= 10n ** BigInt(shift);
  else denominator *= 10n ** BigInt(-shift);
  return toSafeNumber(divideRounded(numerator, denominator));
}
