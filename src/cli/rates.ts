import { isCalendarDate } from "../domain/calendar.ts";
import { DomainError } from "../domain/errors.ts";
import { formatRateBp, halfYearLabel } from "../domain/late-interest.ts";
import {
  importFxRates,
  importInterestRates,
  listExchangeRates,
  listInterestRateTable,
  refreshEcbRates,
} from "../rates/index.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { cliCtx, NO_WORKSPACE } from "./ctx.ts";
import { readInputFile } from "./read-input-file.ts";
import { type CliCommand, type CliRuntime, EXIT } from "./types.ts";

const USAGE =
  "rates import FILE.csv | rates list [--jurisdiction EU|FR|ES] | rates fx import FILE.csv | rates fx list [DATE] | rates fetch [--workspace W]";

const HELP = [
  "  cobro rates import FILE.csv         late-interest rates: jurisdiction,half_year_start,reference_rate,total_rate,source",
  "  cobro rates list [--jurisdiction J] the late-interest table, newest first; unconfirmed figures are marked",
  "  cobro rates fx import FILE.csv      exchange rates: date,pair,rate[,source]  (USD/EUR,0.92 = 1 USD is 0.92 EUR)",
  "  cobro rates fx list [YYYY-MM-DD]   the latest exchange rate of each currency on or before that date (default today)",
  "  cobro rates fetch                   the ECB exchange rates and main refinancing rate now (COBRO_ECB_* settings)",
  "Imports are all or nothing, every bad line named; importing again updates in place. --workspace W where there are several.",
].join("\n");

export const ratesCommand: CliCommand = {
  summary: "late-interest and exchange rates: import a CSV (idempotent), list, or fetch from the ECB now",
  usage: USAGE,
  help: HELP,
  run: async (runtime, args) => {
    const { openApp, out } = runtime;
    const parsed = parseArgs(args, { values: ["jurisdiction", "workspace"] });
    const [sub, ...rest] = parsed.positional;
    const usage = (message: string) =>
      new DomainError("cli.usage", message, { userMessage: `${message}\nUsage:\n${HELP}` });
    if (sub === "fx") {
      const [action, file, ...extra] = rest;
      if (extra.length > 0) throw usage(`Unexpected argument "${extra[0]}".`);
      if (action === "list") return listFx(runtime, stringFlag(parsed, "workspace"), file);
      if (action !== "import") {
        throw usage(
          action ? `Unknown rates fx command "${action}".` : "Say what to do: fx import or fx list.",
        );
      }
      if (!file) throw usage("Which file? cobro rates fx import FILE.csv");
      const text = (await readInputFile(file)).toString("utf8");
      const app = await openApp();
      const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
      const result = await importFxRates(cliCtx(app, workspace.id), { csv: text });
      out(
        `${result.inserted} exchange rate(s) added, ${result.updated} updated, ${result.unchanged} unchanged in workspace "${workspace.name}" (each line also stored the other way round).`,
      );
      return EXIT.ok;
    }
    const [file, ...extra] = rest;
    if (extra.length > 0 || (sub !== "import" && file))
      throw usage(`Unexpected argument "${extra[0] ?? file}".`);
    if (sub === "import") {
      if (!file) throw usage("Which file? cobro rates import FILE.csv");
      const text = (await readInputFile(file)).toString("utf8");
      const app = await openApp();
      const result = await importInterestRates(cliCtx(app, NO_WORKSPACE), { csv: text });
      out(`${result.inserted} rate(s) added, ${result.updated} updated, ${result.unchanged} unchanged.`);
      return EXIT.ok;
    }
    if (sub === "list") {
      const app = await openApp();
      const rows = await listInterestRateTable(cliCtx(app, NO_WORKSPACE), {
        jurisdiction: stringFlag(parsed, "jurisdiction")?.toUpperCase(),
      });
      for (const row of rows) {
        const legal = row.legalRateBp === null ? "" : `  intérêt légal ${formatRateBp(row.legalRateBp)}`;
        out(
          `${row.jurisdiction}  ${halfYearLabel(row.halfYearStart)}  reference ${formatRateBp(row.referenceRateBp).padStart(8)}  total ${formatRateBp(row.totalRateBp).padStart(8)}${row.confirmed ? "" : "  UNCONFIRMED"}${legal}  ${row.source}`,
        );
      }
      return EXIT.ok;
    }
    if (sub === "fetch") return fetchNow(runtime, stringFlag(parsed, "workspace"));
    throw usage(sub ? `Unknown rates command "${sub}".` : "Say what to do with the rates.");
  },
};

async function listFx({ openApp, out }: CliRuntime, selector: string | undefined, asOf: string | undefined) {
  if (asOf !== undefined && !isCalendarDate(asOf)) {
    throw new DomainError("cli.usage", "bad date", { userMessage: `"${asOf}" is not a date YYYY-MM-DD.` });
  }
  const app = await openApp();
  const workspace = await resolveWorkspace(app.db, selector);
  const {
    baseCurrency: base,
    asOf: day,
    rates,
  } = await listExchangeRates(cliCtx(app, workspace.id), { asOf });
  if (rates.length === 0) {
    out(
      `No exchange rate to ${base} on or before ${day}: \`cobro rates fx import FILE.csv\` or \`cobro rates fetch\`.`,
    );
  }
  for (const rate of rates) out(`1 ${rate.currency} = ${Number(rate.rate)} ${base}  (${rate.onDate})`);
  return EXIT.ok;
}

async function fetchNow({ openApp, out, err, config }: CliRuntime, selector: string | undefined) {
  if (!config.ecb) {
    err(
      "The ECB fetches are off (COBRO_ECB_FETCH=off): set it to on, or import rates with `cobro rates fx import`.",
    );
    return EXIT.usage;
  }
  const app = await openApp();
  const workspace = await resolveWorkspace(app.db, selector);
  const result = await refreshEcbRates(cliCtx(app, workspace.id), { sources: config.ecb });
  if (!result.ran) return EXIT.failed;
  const { fx, mro } = result;
  out(
    fx.ok
      ? `Exchange rates of ${fx.date} in ${workspace.baseCurrency}: ${fx.inserted} added, ${fx.updated} updated, ${fx.unchanged} unchanged.`
      : `Exchange rates: ${fx.warning}; the rates already stored are kept.`,
  );
  out(
    mro.ok
      ? `Late-interest rates: ${mro.added.length > 0 ? `added ${mro.added.join(", ")}` : "nothing new"}${mro.updated.length > 0 ? `; updated ${mro.updated.join(", ")}` : ""}.`
      : `Late-interest rates: ${mro.warning}; the table is kept as it was.`,
  );
  return fx.ok && mro.ok ? EXIT.ok : EXIT.failed;
}
