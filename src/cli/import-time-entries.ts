import { formatRowError } from "../domain/import-rows.ts";
import { TIME_FORMATS, type TimeFormat } from "../domain/time-entry-formats.ts";
import { importTimeEntries } from "../imports/index.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { progressWriter, reportProgress } from "./import-progress.ts";
import { openInputFile } from "./open-input-file.ts";
import { type CliRuntime, EXIT } from "./types.ts";

export const IMPORT_TIME_USAGE = `import time-entries FILE.csv [--format ${TIME_FORMATS.join("|")}] [--day-first] [--dry-run] [--progress] [--workspace W]`;

const MAX_ERRORS_SHOWN = 200;

export async function runImportTimeEntries(runtime: CliRuntime, args: string[]): Promise<number> {
  const { openApp, out, err } = runtime;
  const parsed = parseArgs(args, {
    values: ["workspace", "format"],
    booleans: ["dry-run", "day-first", "progress"],
  });
  const [file, ...extra] = parsed.positional;
  const format = stringFlag(parsed, "format");
  if (!file || extra.length > 0 || (format && !TIME_FORMATS.includes(format as TimeFormat))) {
    err(`Usage: cobro ${IMPORT_TIME_USAGE}`);
    return EXIT.usage;
  }
  const input = await openInputFile(file);
  const app = await openApp();
  const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
  const writer = progressWriter(runtime, parsed.flags.has("progress"));
  const progress = writer && reportProgress(writer, "Importing time entries", input.size);
  const result = await importTimeEntries(cliCtx(app, workspace.id), {
    csv: input.stream,
    ...(progress ? { onProgress: progress.update } : {}),
    ...(format ? { format: format as TimeFormat } : {}),
    dryRun: parsed.flags.has("dry-run"),
    dayFirst: parsed.flags.has("day-first"),
  });
  progress?.finish();
  if (result.errors.length > 0) {
    err(`${file}: ${result.errors.length} problem(s), nothing was imported:`);
    for (const error of result.errors.slice(0, MAX_ERRORS_SHOWN)) err(`  ${formatRowError(error)}`);
    if (result.errors.length > MAX_ERRORS_SHOWN)
      err(`  … and ${result.errors.length - MAX_ERRORS_SHOWN} more`);
    return EXIT.usage;
  }
  const counts = `${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged`;
  out(
    result.dryRun
      ? `Dry run, nothing written: ${result.rows} ${result.format} time entries are valid and would give ${counts} in workspace "${workspace.name}".`
      : `Imported ${result.rows} time entries (${result.format} format) into workspace "${workspace.name}": ${counts}.`,
  );
  return EXIT.ok;
}
