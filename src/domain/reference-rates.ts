// Reference rates from the ECB: the euro foreign-exchange reference rates turned into rates to a
// workspace's base currency, the main refinancing (MRO) rate turned into late-interest rows, and the
// records of a rates CSV file.
import { parse } from "csv-parse/sync";
import { addDays } from "./calendar.ts";
import { DomainError } from "./errors.ts";

/** One day of ECB reference rates: 1 EUR = `perEuro[C]` units of C. */
export type EcbQuotes = { date: string; perEuro: Record<string, number> };

/** 1 unit of `currency` = `rate` units of `baseCurrency`, as stored (numeric(20,10)). */
export type FxRateRow = { currency: string; baseCurrency: string; rate: string; onDate: string };

const DECIMALS = 10;

/** Every quoted currency (and the euro) in the base currency; none when the ECB does not quote the base. */
export function ratesToBase(quotes: EcbQuotes, baseCurrency: string): FxRateRow[] {
  const perEuro: Record<string, number> = { ...quotes.perEuro, EUR: 1 };
  const basePerEuro = perEuro[baseCurrency];
  if (basePerEuro === undefined) return [];
  return Object.entries(perEuro)
    .filter(([currency]) => currency !== baseCurrency)
    .map(([currency, unitsPerEuro]) => ({
      currency,
      baseCurrency,
      rate: (basePerEuro / unitsPerEuro).toFixed(DECIMALS),
      onDate: quotes.date,
    }))
    .filter((row) => Number(row.rate) > 0);
}

/** A change of the MRO rate: from `date` on, `rateBp` basis points. */
export type MroChange = { date: string; rateBp: number };

/**
 * The MRO rate that fixes a half-year. EU (Directive 2011/7/EU art. 2(6)): the rate in force on its
 * first day. FR (L441-10) and ES (Ley 3/2004 art. 7): the most recent operation before that day.
 */
export function mroForHalfYear(
  changes: readonly MroChange[],
  halfYearStart: string,
  rule: "in-force-on-first-day" | "last-before-first-day",
): MroChange | undefined {
  const last = rule === "in-force-on-first-day" ? halfYearStart : addDays(halfYearStart, -1);
  return [...changes].filter((c) => c.date <= last).sort((a, b) => b.date.localeCompare(a.date))[0];
}

/** The half-year starts from `from` to the one containing `today`, oldest first. */
export function halfYearStartsThrough(from: string, today: string): string[] {
  const starts: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7)) <= 6 ? 1 : 7;
  for (;;) {
    const start = `${year}-${month === 1 ? "01" : "07"}-01`;
    if (start > today) return starts;
    starts.push(start);
    if (month === 7) year++;
    month = month === 1 ? 7 : 1;
  }
}

export type MroInterestRow = {
  jurisdiction: "EU" | "FR" | "ES";
  halfYearStart: string;
  referenceRateBp: number;
  totalRateBp: number;
  source: string;
  confirmed: boolean;
};

const MARGINS = { EU: 800, FR: 1000, ES: 800 } as const;

const pct = (bp: number) => (bp / 100).toFixed(2);

/** The statutory rows a half-year gets from the MRO series; Spain's stays unconfirmed until the BOE. */
export function interestRowsFromMro(changes: readonly MroChange[], halfYearStart: string): MroInterestRow[] {
  const rows: MroInterestRow[] = [];
  for (const jurisdiction of ["EU", "FR", "ES"] as const) {
    const rule = jurisdiction === "EU" ? "in-force-on-first-day" : "last-before-first-day";
    const mro = mroForHalfYear(changes, halfYearStart, rule);
    if (!mro) continue;
    const total = mro.rateBp + MARGINS[jurisdiction];
    const basis = `ECB MRO ${pct(mro.rateBp)} (set ${mro.date}, ECB Data Portal)`;
    rows.push({
      jurisdiction,
      halfYearStart,
      referenceRateBp: mro.rateBp,
      totalRateBp: total,
      source:
        jurisdiction === "EU"
          ? `${basis} + 8 (Directive 2011/7/EU art. 2(6))`
          : jurisdiction === "FR"
            ? `${basis} + 10 (C. com. L441-10)`
            : `UNCONFIRMED until the BOE resolution is imported: ${basis} + 8 (Ley 3/2004 art. 7)`,
      confirmed: jurisdiction !== "ES",
    });
  }
  return rows;
}

/** The records of a rates CSV file (trimmed cells, blank lines skipped), or the DomainError `code`. */
export function rateCsvRecords(text: string, code: string): string[][] {
  try {
    return parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true, bom: true });
  } catch (error) {
    throw new DomainError(code, "unreadable CSV", {
      userMessage: `The file is not valid CSV: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
