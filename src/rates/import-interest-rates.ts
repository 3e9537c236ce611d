// `cobro rates import`: reference rates from a CSV (jurisdiction,half_year_start,reference_rate,
// total_rate,source), every bad line reported with its number, nothing written unless all are good.
import type { Ctx } from "../context.ts";
import { isCalendarDate } from "../domain/calendar.ts";
import { DomainError, isDomainError } from "../domain/errors.ts";
import { JURISDICTIONS, type Jurisdiction, parseRatePercent } from "../domain/late-interest.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { rateCsvRecords } from "../domain/reference-rates.ts";
import { type InterestRateInsert, upsertInterestRates } from "./repo.ts";

const RATE_COLUMNS = ["jurisdiction", "half_year_start", "reference_rate", "total_rate", "source"] as const;

export type ImportInterestRatesResult = { inserted: number; updated: number; unchanged: number };

function parseInterestRatesCsv(text: string): InterestRateInsert[] {
  const records = rateCsvRecords(text, "rates.csv");
  const [head, ...rows] = records;
  if (!head || head.map((h) => h.toLowerCase()).join(",") !== RATE_COLUMNS.join(",")) {
    throw new DomainError("rates.header", "bad header", {
      userMessage: `Line 1 must be the header: ${RATE_COLUMNS.join(",")}`,
    });
  }
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const result: InterestRateInsert[] = [];
  rows.forEach((row, index) => {
    const line = index + 2;
    const [jurisdiction = "", start = "", reference = "", total = "", source = ""] = row;
    const why: string[] = [];
    if (row.length !== RATE_COLUMNS.length)
      why.push(`expected ${RATE_COLUMNS.length} columns, found ${row.length}`);
    if (!(JURISDICTIONS as readonly string[]).includes(jurisdiction.toUpperCase())) {
      why.push(`jurisdiction "${jurisdiction}" is not one of ${JURISDICTIONS.join(", ")}`);
    }
    if (!isCalendarDate(start) || !/-(01|07)-01$/.test(start)) {
      why.push(`half_year_start "${start}" must be YYYY-01-01 or YYYY-07-01`);
    }
    const rate = (value: string, name: string) => {
      try {
        return parseRatePercent(value);
      } catch (error) {
        why.push(`${name} ${isDomainError(error) ? error.userMessage : String(error)}`);
        return 0;
      }
    };
    const referenceBp = rate(reference, "reference_rate:");
    const totalBp = rate(total, "total_rate:");
    if (why.length === 0 && totalBp < referenceBp) why.push("total_rate is below reference_rate");
    if (!source) why.push("source is empty (say where the rate comes from, e.g. BOE-A-2025-13217)");
    const key = `${jurisdiction.toUpperCase()}:${start}`;
    if (seen.has(key)) why.push(`same jurisdiction and half-year as line ${seen.get(key)}`);
    seen.set(key, line);
    if (why.length > 0) {
      problems.push(`line ${line}: ${why.join("; ")}`);
      return;
    }
    result.push({
      jurisdiction: jurisdiction.toUpperCase() as Jurisdiction,
      halfYearStart: start,
      referenceRateBp: referenceBp,
      totalRateBp: totalBp,
      source,
    });
  });
  if (problems.length > 0) {
    throw new DomainError("rates.invalid", `${problems.length} bad line(s)`, {
      userMessage: `Nothing imported; fix these lines:\n${problems.join("\n")}`,
      details: problems,
    });
  }
  return result;
}

/** Install-wide reference data, no workspace's own (`ctx.workspaceId` is not read): the operator's verb. */
export async function importInterestRates(
  ctx: Ctx,
  input: { csv: string },
): Promise<ImportInterestRatesResult> {
  assertAllowed(ctx.actor, { action: "configure" });
  const rows = parseInterestRatesCsv(input.csv);
  return ctx.db.transaction((tx) => upsertInterestRates(tx, rows));
}
