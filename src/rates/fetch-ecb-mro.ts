// The ECB main refinancing (MRO) rate series (ECB Data Portal, CSV) turned into the late-interest rows
// of the previous and the current half-year: EU and FR confirmed (their totals are the ECB rate plus a
// fixed margin), Spain added unconfirmed until its BOE figure is imported. A file that cannot be had or
// read stores nothing: the table stays as it was, and the warning is logged.
import { parse } from "csv-parse/sync";
import type { Ctx, ServiceDeps } from "../context.ts";
import { addDays, isCalendarDate } from "../domain/calendar.ts";
import { halfYearLabel, halfYearStart } from "../domain/late-interest.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { halfYearStartsThrough, interestRowsFromMro, type MroChange } from "../domain/reference-rates.ts";
import { fetchText } from "./fetch-text.ts";
import { listInterestRates, upsertInterestRates } from "./repo.ts";

export type FetchEcbMroResult =
  | { ok: true; added: string[]; updated: string[] }
  | { ok: false; warning: string };

export async function fetchEcbMro(
  ctx: Ctx,
  input: { url: string; today: string },
): Promise<FetchEcbMroResult> {
  assertAllowed(ctx.actor, { action: "configure" });
  const body = await fetchText(input.url);
  if ("problem" in body) return refuse(ctx, `ECB main refinancing rate not fetched: ${body.problem}`);
  const changes = parseMroCsv(body.text);
  if (typeof changes === "string") {
    return refuse(
      ctx,
      `ECB main refinancing rate not stored: ${input.url} is not the MRO series as CSV (${changes})`,
    );
  }
  const previous = halfYearStart(addDays(halfYearStart(input.today), -1));
  const wanted = halfYearStartsThrough(previous, input.today).flatMap((start) =>
    interestRowsFromMro(changes, start),
  );
  return ctx.db.transaction(async (tx) => {
    const stored = new Map(
      (await listInterestRates(tx)).map((r) => [`${r.jurisdiction}:${r.halfYearStart}`, r]),
    );
    const added: string[] = [];
    const updated: string[] = [];
    const writes = wanted.filter((row) => {
      const found = stored.get(`${row.jurisdiction}:${row.halfYearStart}`);
      const label = `${row.jurisdiction} ${halfYearLabel(row.halfYearStart)}`;
      if (!found) {
        added.push(label);
        return true;
      }
      const same = found.referenceRateBp === row.referenceRateBp && found.totalRateBp === row.totalRateBp;
      // An imported (confirmed) Spanish total is the BOE's own figure: the ECB series never replaces it.
      const replace = row.confirmed ? !found.confirmed || !same : !found.confirmed && !same;
      if (replace) updated.push(label);
      return replace;
    });
    await upsertInterestRates(tx, writes);
    return { ok: true as const, added, updated };
  });
}

function refuse(deps: ServiceDeps, warning: string): FetchEcbMroResult {
  deps.logger.warn({ warning }, warning);
  return { ok: false, warning };
}

/** The rate changes of the series (TIME_PERIOD, OBS_VALUE columns), or what is wrong with the file. */
function parseMroCsv(text: string): MroChange[] | string {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    return `unreadable CSV: ${error instanceof Error ? error.message : String(error)}`;
  }
  const changes: MroChange[] = [];
  for (const [index, record] of records.entries()) {
    const date = record.TIME_PERIOD ?? "";
    const value = Number(record.OBS_VALUE);
    if (
      !isCalendarDate(date) ||
      record.OBS_VALUE === undefined ||
      !Number.isFinite(value) ||
      value < -5 ||
      value > 50
    ) {
      return `line ${index + 2}: expected TIME_PERIOD as YYYY-MM-DD and OBS_VALUE as a percentage`;
    }
    changes.push({ date, rateBp: Math.round(value * 100) });
  }
  if (changes.length === 0) return "no observations";
  return changes;
}
