// Statutory late-payment interest and the fixed EUR 40 compensation (invoicing-rules.md §1).
// Simple interest, piecewise on the open amount incl. VAT, split at 1 January and 1 July,
// each piece at its half-year's rate, summed exactly and rounded once, half-up.

import { addDays, fromDayNumber, toDayNumber } from "./calendar.ts";
import { DomainError } from "./errors.ts";
import { divideRounded, type Money, toSafeNumber } from "./money.ts";

export const JURISDICTIONS = ["EU", "FR", "ES"] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export type ClientProfile = "public" | "business" | "individual";

/** One row of the reference-rate table; rates in basis points (14.25 % = 1425). */
export type InterestRate = {
  jurisdiction: Jurisdiction;
  /** "YYYY-01-01" or "YYYY-07-01". */
  halfYearStart: string;
  referenceRateBp: number;
  /** Reference + legal margin (FR +10, EU +8), or the BOE total for Spain. */
  totalRateBp: number;
};

/** Money that reached the creditor: the open amount drops the day after `on`. */
export type Settlement = { on: string; amountMinor: number };

export type LateInterestInput = {
  jurisdiction: Jurisdiction;
  profile: ClientProfile;
  currency: string;
  dueDate: string;
  /** Open amount incl. VAT on the due date (after credit notes and payments made by then). */
  openAtDueMinor: number;
  /** Payments and credit notes after the due date. */
  settlements: readonly Settlement[];
  /** Last day of accrual while something is still open (inclusive). */
  asOf: string;
  rates: readonly InterestRate[];
  /** A contractual rate replaces the table (never below the legal floor: checked by whoever sets it). */
  contractualRateBp?: number;
  dayCountBasis?: 365 | 360;
  fixing?: "perHalfYear" | "fixedAtDueDate";
};

export type InterestSegment = {
  from: string;
  to: string;
  days: number;
  baseMinor: number;
  rateBp: number;
};

export type LateInterestResult = {
  interest: Money;
  /** EUR 40 per late invoice for business and public clients; zero for individuals. */
  compensation: Money;
  segments: InterestSegment[];
};

export const FIXED_COMPENSATION: Money = { amountMinor: 4000, currency: "EUR" };

export function halfYearStart(date: string): string {
  const year = date.slice(0, 4);
  return Number(date.slice(5, 7)) <= 6 ? `${year}-01-01` : `${year}-07-01`;
}

function nextHalfYearStart(date: string): string {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) <= 6 ? `${year}-07-01` : `${year + 1}-01-01`;
}

export function halfYearLabel(start: string): string {
  return `${start.slice(0, 4)} H${start.slice(5, 7) === "01" ? 1 : 2}`;
}

/**
 * The statutory rate of a half-year for this client. French public buyers owe "intérêts moratoires"
 * at the ECB rate + 8 points (Code de la commande publique R2192-31), not the + 10 of L441-10.
 */
export function statutoryRateBp(rate: InterestRate, profile: ClientProfile): number {
  return frenchPublicBuyer(rate.jurisdiction, profile) ? rate.referenceRateBp + 800 : rate.totalRateBp;
}

/** The law a late-payment claim rests on: a French public buyer's is the public procurement code. */
export type InterestLaw = Jurisdiction | "FR-public";

export function interestLawOf(jurisdiction: Jurisdiction, profile: ClientProfile): InterestLaw {
  return frenchPublicBuyer(jurisdiction, profile) ? "FR-public" : jurisdiction;
}

function frenchPublicBuyer(jurisdiction: Jurisdiction, profile: ClientProfile): boolean {
  return jurisdiction === "FR" && profile === "public";
}

export function findRate(
  rates: readonly InterestRate[],
  jurisdiction: Jurisdiction,
  start: string,
): InterestRate {
  const found = rates.find((r) => r.jurisdiction === jurisdiction && r.halfYearStart === start);
  if (!found) {
    throw new DomainError("interest.rate_missing", `no ${jurisdiction} late-interest rate for ${start}`, {
      userMessage: `No late-interest rate for ${jurisdiction} ${halfYearLabel(start)}: add it with \`cobro rates import FILE.csv\`.`,
      messageKey: "collections.interest.rate_missing",
      messageValues: {
        jurisdiction,
        year: Number(start.slice(0, 4)),
        half: start.slice(5, 7) === "01" ? 1 : 2,
      },
    });
  }
  return found;
}

/** Splits [from, to] (inclusive) at each 1 January and 1 July. */
function splitAtHalfYears(from: string, to: string): { from: string; to: string }[] {
  const pieces: { from: string; to: string }[] = [];
  let start = from;
  while (toDayNumber(start) <= toDayNumber(to)) {
    const boundary = nextHalfYearStart(start);
    const end = toDayNumber(boundary) - 1 < toDayNumber(to) ? addDays(boundary, -1) : to;
    pieces.push({ from: start, to: end });
    start = addDays(end, 1);
  }
  return pieces;
}

export function computeLateInterest(input: LateInterestInput): LateInterestResult {
  const zero = (currency: string): Money => ({ amountMinor: 0, currency });
  const basis = BigInt(input.dayCountBasis ?? 365);
  // Statutory late-payment interest is a B2B/B2G rule: consumers are excluded (Directive 2011/7/EU).
  if (input.profile === "individual") {
    return { interest: zero(input.currency), compensation: zero("EUR"), segments: [] };
  }
  const firstDay = addDays(input.dueDate, 1);
  const settlements = [...input.settlements].sort((a, b) => toDayNumber(a.on) - toDayNumber(b.on));
  // Change points: the base after each settlement applies from the next day.
  let base = input.openAtDueMinor;
  let cursor = firstDay;
  const stretches: { from: string; to: string; baseMinor: number }[] = [];
  const end = toDayNumber(input.asOf);
  for (const settlement of settlements) {
    const on = toDayNumber(settlement.on);
    if (on < toDayNumber(cursor)) {
      base -= settlement.amountMinor;
      continue;
    }
    const last = Math.min(on, end);
    if (last >= toDayNumber(cursor) && base > 0) {
      stretches.push({ from: cursor, to: fromDayNumber(last), baseMinor: base });
    }
    base -= settlement.amountMinor;
    cursor = fromDayNumber(Math.max(toDayNumber(cursor), last + 1));
    if (on >= end) break;
  }
  if (base > 0 && toDayNumber(cursor) <= end) {
    stretches.push({ from: cursor, to: input.asOf, baseMinor: base });
  }

  // R2192-31 fixes a French public buyer's rate at the half-year the interest started to run.
  const fixing = frenchPublicBuyer(input.jurisdiction, input.profile) ? "fixedAtDueDate" : input.fixing;
  const rateOf = (start: string) =>
    statutoryRateBp(findRate(input.rates, input.jurisdiction, start), input.profile);
  const fixedRate =
    fixing === "fixedAtDueDate" && input.contractualRateBp === undefined
      ? rateOf(halfYearStart(firstDay))
      : undefined;
  const segments: InterestSegment[] = [];
  let numerator = 0n;
  for (const stretch of stretches) {
    for (const piece of splitAtHalfYears(stretch.from, stretch.to)) {
      const rateBp = input.contractualRateBp ?? fixedRate ?? rateOf(halfYearStart(piece.from));
      const days = toDayNumber(piece.to) - toDayNumber(piece.from) + 1;
      segments.push({ ...piece, days, baseMinor: stretch.baseMinor, rateBp });
      numerator += BigInt(stretch.baseMinor) * BigInt(rateBp) * BigInt(days);
    }
  }
  const interestMinor = toSafeNumber(divideRounded(numerator, 10_000n * basis));
  const late = stretches.length > 0;
  return {
    interest: { amountMinor: interestMinor, currency: input.currency },
    compensation: late ? { ...FIXED_COMPENSATION } : zero("EUR"),
    segments,
  };
}

/** Parses "14.25" or "8" (percent, up to two decimals) into basis points. */
export function parseRatePercent(text: string): number {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) {
    throw new DomainError("interest.rate_format", `"${text}" is not a rate`, {
      userMessage: `"${text}" is not a rate: write a percentage with at most two decimals, e.g. 14.25.`,
    });
  }
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

export function formatRateBp(rateBp: number): string {
  return `${Math.trunc(rateBp / 100)}.${String(rateBp % 100).padStart(2, "0")} %`;
}
