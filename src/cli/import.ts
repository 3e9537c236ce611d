import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { formatRowError, IMPORT_KINDS, type ImportKind } from "../domain/import-rows.ts";
import { importCsv } from "../imports/index.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { IMPORT_BANK_USAGE, runImportBank } from "./import-bank.ts";
import { progressWriter, reportProgress } from "./import-progress.ts";
import { IMPORT_TIME_USAGE, runImportTimeEntries } from "./import-time-entries.ts";
import { openInputFile } from "./open-input-file.ts";
import { type CliCommand, EXIT } from "./types.ts";

const USAGE = `import <${IMPORT_KINDS.join("|")}> FILE.csv [--dry-run] [--decimal-comma] [--day-first] [--progress] [--workspace X]`;

// More errors than this are summarised: a wrong separator can make every row bad.
const MAX_ERRORS_SHOWN = 200;

export const importCommand: CliCommand = {
  summary: "import people, clients, projects, milestones, receivables or payments from a CSV file",
  usage: USAGE,
  help: `Also: cobro ${IMPORT_TIME_USAGE}\nAlso: cobro ${IMPORT_BANK_USAGE}: credits paying invoices named in their text are recorded as payments.\n--day-first reads dates such as 14/06/2026 (also 14-06-2026, 14.06.2026) day first; ISO dates (2026-06-14) read the same either way.\n--dry-run checks every line and writes nothing; a file with any bad line imports nothing.`,
  run: async (runtime, args) => {
    if (args[0] === "time-entries") return runImportTimeEntries(runtime, args.slice(1));
    if (args[0] === "bank") return runImportBank(runtime, args.slice(1));
    const { openApp, out, err } = runtime;
    const parsed = parseArgs(args, {
      values: ["workspace"],
      booleans: ["dry-run", "decimal-comma", "day-first", "progress"],
    });
    const [kind, file, ...extra] = parsed.positional;
    if (!kind || !file || extra.length > 0 || !IMPORT_KINDS.includes(kind as ImportKind)) {
      err(`Usage: cobro ${USAGE}`);
      return EXIT.usage;
    }
    const input = await openInputFile(file);
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const writer = progressWriter(runtime, parsed.flags.has("progress"));
    const progress = writer && reportProgress(writer, `Importing ${kind}`, input.size);
    const result = await importCsv(cliCtx(app, workspace.id), {
      kind: kind as ImportKind,
      csv: input.stream,
      ...(progress ? { onProgress: progress.update } : {}),
      decimalComma: parsed.flags.has("decimal-comma"),
      dayFirst: parsed.flags.has("day-first"),
      dryRun: parsed.flags.has("dry-run"),
      // The invoices' pdf column names files next to the CSV, wherever the command runs from.
      readAttachment: (path) => readFile(resolve(dirname(file), path)),
    });
    progress?.finish();
    if (result.errors.length > 0) {
      err(`${file}: ${result.errors.length} problem(s), nothing was imported:`);
      for (const error of result.errors.slice(0, MAX_ERRORS_SHOWN)) err(`  ${formatRowError(error)}`);
      if (result.errors.length > MAX_ERRORS_SHOWN) {
        err(`  … and ${result.errors.length - MAX_ERRORS_SHOWN} more`);
      }
      return EXIT.usage;
    }
    const counts = `${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged`;
    // Clients' collectors and projects' PMs and approvers named by e-mail become members if unknown.
    const pms =
      result.membersCreated > 0
        ? `; ${result.membersCreated} new member(s) from the e-mails in the file, named after their e-mail until you import them as people`
        : "";
    out(
      result.dryRun
        ? `Dry run, nothing written: ${result.rows} ${kind} row(s) are valid and would give ${counts}${pms} in workspace "${workspace.name}".`
        : `Imported ${result.rows} ${kind} row(s) into workspace "${workspace.name}": ${counts}${pms}.`,
    );
    return EXIT.ok;
  },
};
