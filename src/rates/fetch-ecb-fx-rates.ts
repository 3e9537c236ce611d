// The ECB euro foreign-exchange reference rates (eurofxref-daily.xml), stored for one workspace in its
// base currency with their date and source "ECB". A file that cannot be had or read stores nothing: the
// rates already stored stay, and the caller logs the warning.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { Ctx, ServiceDeps } from "../context.ts";
import { isCalendarDate } from "../domain/calendar.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { type EcbQuotes, ratesToBase } from "../domain/reference-rates.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import { fetchText } from "./fetch-text.ts";
import { upsertExchangeRates } from "./repo.ts";

export const ECB_FX_SOURCE = "ECB";

export type FetchEcbFxResult =
  | { ok: true; date: string; inserted: number; updated: number; unchanged: number }
  | { ok: false; warning: string };

export async function fetchEcbFxRates(ctx: Ctx, input: { url: string }): Promise<FetchEcbFxResult> {
  assertAllowed(ctx.actor, { action: "configure" });
  const workspace = await findWorkspaceById(ctx.db, ctx.workspaceId);
  if (!workspace) return { ok: false, warning: "workspace not found" };
  const body = await fetchText(input.url);
  if ("problem" in body) return refuse(ctx, `ECB exchange rates not fetched: ${body.problem}`);
  const quotes = parseEurofxref(body.text);
  if (typeof quotes === "string") {
    return refuse(ctx, `ECB exchange rates not stored: ${input.url} is not a eurofxref file (${quotes})`);
  }
  const rows = ratesToBase(quotes, workspace.baseCurrency.trim());
  if (rows.length === 0) {
    return refuse(ctx, `ECB exchange rates not stored: the ECB does not quote ${workspace.baseCurrency}`);
  }
  const counts = await upsertExchangeRates(
    ctx.db,
    workspace.id,
    rows.map((r) => ({ ...r, source: ECB_FX_SOURCE })),
  );
  return { ok: true, date: quotes.date, ...counts };
}

function refuse(deps: ServiceDeps, warning: string): FetchEcbFxResult {
  deps.logger.warn({ warning }, warning);
  return { ok: false, warning };
}

type Cube = { time?: string; currency?: string; rate?: string; Cube?: Cube[] };

/** The day's quotes, or what is wrong with the file. */
function parseEurofxref(xml: string): EcbQuotes | string {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return `malformed XML: ${valid.err.msg} at line ${valid.err.line}`;
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "",
    removeNSPrefix: true,
    isArray: (name) => name === "Cube",
  }).parse(xml) as { Envelope?: { Cube?: Cube[] } };
  const day = parsed.Envelope?.Cube?.[0]?.Cube?.[0];
  if (!day?.time || !isCalendarDate(day.time)) return "no <Cube time='YYYY-MM-DD'> element";
  const perEuro: Record<string, number> = {};
  for (const quote of day.Cube ?? []) {
    const rate = Number(quote.rate);
    if (!quote.currency || !/^[A-Z]{3}$/.test(quote.currency) || !(rate > 0)) {
      return `bad quote ${JSON.stringify(quote)}`;
    }
    perEuro[quote.currency] = rate;
  }
  if (Object.keys(perEuro).length === 0) return `no rates on ${day.time}`;
  return { date: day.time, perEuro };
}
