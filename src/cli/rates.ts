import { DomainError } from "../domain/errors.ts";
import { formatRateBp, halfYearLabel } from "../domain/late-interest.ts";
import { importInterestRates, listInterestRateTable } from "../services/import-interest-rates.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { readInputFile } from "./read-input-file.ts";
import { type CliCommand, EXIT } from "./types.ts";

const USAGE = "rates import FILE.csv | rates list [--jurisdiction EU|FR|ES]";

export const ratesCommand: CliCommand = {
  summary: "late-interest reference rates: import a CSV (idempotent) or list the table",
  usage: USAGE,
  run: async ({ openApp, out }, args) => {
    const parsed = parseArgs(args, { values: ["jurisdiction"] });
    const [sub, file, ...rest] = parsed.positional;
    const usage = (message: string) =>
      new DomainError("cli.usage", message, { userMessage: `${message}\nUsage: cobro ${USAGE}` });
    if (rest.length > 0) throw usage(`Unexpected argument "${rest[0]}".`);
    if (sub === "import") {
      if (!file) throw usage("Which file? cobro rates import FILE.csv");
      const text = (await readInputFile(file)).toString("utf8");
      const app = await openApp();
      const result = await importInterestRates(app, text);
      out(`${result.inserted} rate(s) added, ${result.updated} updated, ${result.unchanged} unchanged.`);
      return EXIT.ok;
    }
    if (sub === "list") {
      const app = await openApp();
      const rows = await listInterestRateTable(app, stringFlag(parsed, "jurisdiction")?.toUpperCase());
      for (const row of rows) {
        out(
          `${row.jurisdiction}  ${halfYearLabel(row.halfYearStart)}  reference ${formatRateBp(row.referenceRateBp).padStart(8)}  total ${formatRateBp(row.totalRateBp).padStart(8)}  ${row.source}`,
        );
      }
      return EXIT.ok;
    }
    throw usage(sub ? `Unknown rates command "${sub}".` : "Say what to do with the rates.");
  },
};
