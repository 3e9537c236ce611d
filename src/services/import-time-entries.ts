// Imports time entries from a CSV file (Cobro, Harvest, Toggl Track or Clockify export), all or none.
import type { ServiceDeps } from "../context.ts";
import type { RowError } from "../domain/import-rows.ts";
import {
  checkTimeHeader,
  detectTimeFormat,
  parseTimeEntryRows,
  TIME_FORMAT_COLUMNS,
  type TimeFormat,
} from "../domain/time-entry-formats.ts";
import { readCsv } from "./import-csv.ts";
import { recordTimeEntries } from "./record-time-entries.ts";

export type ImportTimeEntriesInput = {
  workspaceId: string;
  csv: string | Uint8Array;
  /** Forced format; detected from the header when absent. */
  format?: TimeFormat;
  dryRun?: boolean;
  /** Slash dates read as day/month/year instead of Harvest's and Clockify's month/day/year. */
  dayFirst?: boolean;
};

export type ImportTimeEntriesResult = {
  format: TimeFormat | null;
  dryRun: boolean;
  rolledBack: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: RowError[];
};

export async function importTimeEntries(
  deps: ServiceDeps,
  input: ImportTimeEntriesInput,
): Promise<ImportTimeEntriesResult> {
  const dryRun = Boolean(input.dryRun);
  const empty = { dryRun, rolledBack: true, rows: 0, created: 0, updated: 0, unchanged: 0 };
  const parsed = readCsv(input.csv);
  if (parsed.header.length === 0) return { ...empty, format: input.format ?? null, errors: parsed.errors };
  const format = input.format ?? detectTimeFormat(parsed.header);
  if (!format) {
    const known = Object.entries(TIME_FORMAT_COLUMNS)
      .map(([name, c]) => `${name} (${c.required.map((alt) => alt.join("|")).join(", ")})`)
      .join("; ");
    return {
      ...empty,
      format: null,
      errors: [
        { line: 1, column: "header", message: `not a time export Cobro knows; expected columns of ${known}` },
      ],
    };
  }
  const headerErrors = checkTimeHeader(format, parsed.header);
  if (headerErrors.length > 0) return { ...empty, format, errors: headerErrors };
  const { rows, errors } = parseTimeEntryRows(format, parsed.rows, { dayFirst: input.dayFirst });
  const readErrors = [...parsed.errors, ...errors];
  if (readErrors.length > 0) {
    return { ...empty, format, rows: parsed.rows.length, errors: readErrors.sort((a, b) => a.line - b.line) };
  }
  const saved = await recordTimeEntries(deps, {
    workspaceId: input.workspaceId,
    entries: rows,
    actor: "import",
    dryRun,
  });
  return {
    format,
    dryRun,
    rolledBack: saved.rolledBack,
    rows: rows.length,
    created: saved.created,
    updated: saved.updated,
    unchanged: saved.unchanged,
    errors: saved.errors,
  };
}
