// `cobro rates fx import`: exchange rates from a CSV (date,pair,rate[,source]), every bad line named,
// nothing written unless all are good; a re-import updates in place. "USD/EUR,0.92" reads 1 USD = 0.92
// EUR; the inverse (1 EUR = 1/0.92 USD) is stored too, so the file may quote either way round.
import type { Ctx } from "../context.ts";
import { isCalendarDate } from "../domain/calendar.ts";
import { DomainError } from "../domain/errors.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { rateCsvRecords } from "../domain/reference-rates.ts";
import { type ExchangeRateUpsert, upsertExchangeRates } from "./repo.ts";

const REQUIRED = ["date", "pair", "rate"];
const OPTIONAL = ["source"];
const RATE = /^\d{1,10}(\.\d{1,10})?$/;

export async function importFxRates(
  ctx: Ctx,
  input: { csv: string },
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  assertAllowed(ctx.actor, { action: "configure" });
  const rows = parseFxRatesCsv(input.csv);
  return ctx.db.transaction((tx) => upsertExchangeRates(tx, ctx.workspaceId, rows));
}

function parseFxRatesCsv(text: string): ExchangeRateUpsert[] {
  const records = rateCsvRecords(text, "fx.csv");
  const [head = [], ...lines] = records;
  const columns = head.map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !REQUIRED.includes(c) && !OPTIONAL.includes(c));
  if (missing.length > 0 || unknown.length > 0) {
    throw new DomainError("fx.header", "bad header", {
      userMessage: `Line 1 must be the header date,pair,rate (and optionally source)${
        missing.length > 0 ? `; missing ${missing.join(", ")}` : ""
      }${unknown.length > 0 ? `; unknown ${unknown.join(", ")}` : ""}.`,
    });
  }
  const at = (row: string[], column: string) => row[columns.indexOf(column)] ?? "";
  const problems: string[] = [];
  const explicit = new Map<string, number>();
  const result: ExchangeRateUpsert[] = [];
  lines.forEach((row, index) => {
    const line = index + 2;
    const why: string[] = [];
    const date = at(row, "date");
    const pair = at(row, "pair").toUpperCase();
    const rate = at(row, "rate");
    const source = columns.includes("source") ? at(row, "source") || "import" : "import";
    if (row.length !== columns.length) why.push(`expected ${columns.length} columns, found ${row.length}`);
    if (!isCalendarDate(date)) why.push(`date "${date}" is not a date YYYY-MM-DD`);
    const match = /^([A-Z]{3})\/([A-Z]{3})$/.exec(pair);
    if (!match) why.push(`pair "${at(row, "pair")}" is not two currency codes such as USD/EUR`);
    else if (match[1] === match[2]) why.push(`pair "${pair}" names the same currency twice`);
    if (!RATE.test(rate) || Number(rate) === 0) {
      why.push(`rate "${rate}" is not a positive decimal with a dot (at most 10 decimals), e.g. 0.9234`);
    }
    if (source.length > 200) why.push("source is longer than 200 characters");
    const key = `${pair}@${date}`;
    if (explicit.has(key)) why.push(`same date and pair as line ${explicit.get(key)}`);
    explicit.set(key, line);
    if (why.length > 0 || !match) {
      problems.push(`line ${line}: ${why.join("; ")}`);
      return;
    }
    const [, currency = "", baseCurrency = ""] = match;
    result.push({ currency, baseCurrency, rate, onDate: date, source });
  });
  if (problems.length > 0) {
    throw new DomainError("fx.invalid", `${problems.length} bad line(s)`, {
      userMessage: `Nothing imported; fix these lines:\n${problems.join("\n")}`,
      details: problems,
    });
  }
  // The inverse of each line, unless the file quotes that direction itself.
  const inverses = result
    .filter((r) => !explicit.has(`${r.baseCurrency}/${r.currency}@${r.onDate}`))
    .map((r) => ({
      currency: r.baseCurrency,
      baseCurrency: r.currency,
      rate: (1 / Number(r.rate)).toFixed(10),
      onDate: r.onDate,
      source: `${r.source} (inverse of ${r.currency}/${r.baseCurrency} ${r.rate})`,
    }))
    .filter((r) => Number(r.rate) > 0);
  return [...result, ...inverses];
}
