// Imports time entries from a CSV file (Cobro, Harvest, Toggl Track or Clockify export), all or none,
// read and written a batch of rows at a time in one transaction.

import type { Ctx } from "../context.ts";
import { commitIf } from "../db/commit-if.ts";
import { present } from "../domain/errors.ts";
import type { ImportCounts, RowError } from "../domain/import-rows.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import {
  checkTimeHeader,
  detectTimeFormat,
  parseTimeEntryRows,
  TIME_FORMAT_COLUMNS,
  type TimeFormat,
  timeParseMemory,
} from "../domain/time-entry-formats.ts";
import { loadTimeEntryLookups, saveTimeEntryBatch, type TimeEntryBatchResult } from "../timesheets/index.ts";
import { explainFailure } from "./explain-failure.ts";
import type { ImportProgress } from "./import-csv.ts";
import { type CsvSource, openCsv } from "./open-csv.ts";

export type ImportTimeEntriesInput = {
  csv: CsvSource;
  onProgress?: (progress: ImportProgress) => void;
  /** Forced format; detected from the header when absent. */
  format?: TimeFormat;
  dryRun?: boolean;
  /** Slash dates read as day/month/year instead of Harvest's and Clockify's month/day/year. */
  dayFirst?: boolean;
};

export type ImportTimeEntriesResult = ImportCounts & {
  format: TimeFormat | null;
  dryRun: boolean;
  rolledBack: boolean;
  errors: RowError[];
};

export async function importTimeEntries(
  ctx: Ctx,
  input: ImportTimeEntriesInput,
): Promise<ImportTimeEntriesResult> {
  // Everyone's time from a tracker's export: a bulk import is the admin's.
  assertAllowed(ctx.actor, { action: "configure" });
  const dryRun = Boolean(input.dryRun);
  const empty = { dryRun, rolledBack: true, rows: 0, created: 0, updated: 0, unchanged: 0 };
  const file = await openCsv(input.csv);
  const refuse = async (format: TimeFormat | null, errors: RowError[]) => {
    await file.batches.return();
    return { ...empty, format, errors };
  };
  if (file.header.length === 0) return refuse(input.format ?? null, file.errors);
  const format = input.format ?? detectTimeFormat(file.header);
  if (!format) {
    const known = Object.entries(TIME_FORMAT_COLUMNS)
      .map(([name, c]) => `${name} (${c.required.map((alt) => alt.join("|")).join(", ")})`)
      .join("; ");
    return refuse(null, [
      { line: 1, column: "header", message: `not a time export Cobro knows; expected columns of ${known}` },
    ]);
  }
  const headerErrors = checkTimeHeader(format, file.header);
  if (headerErrors.length > 0) return refuse(format, headerErrors);
  const memory = timeParseMemory();
  const saved: TimeEntryBatchResult = { ...empty, errors: [], entryIds: [] };
  let rows = 0;
  const committed = await commitIf(ctx.db, async (tx) => {
    const lookups = await loadTimeEntryLookups(tx, ctx.workspaceId);
    const now = ctx.now();
    for await (const batch of file.batches) {
      rows += batch.rows.length;
      const parsed = parseTimeEntryRows(format, batch.rows, { dayFirst: input.dayFirst, memory });
      for (const error of [...batch.errors, ...parsed.errors]) saved.errors.push(error);
      // Rows that read well are still checked against the database, to report every problem at once.
      if (parsed.rows.length === 0) continue;
      const lines = {
        first: present(parsed.rows[0], "parsed.rows[0]").line,
        last: present(parsed.rows.at(-1), "parsed.rows.at(-1)").line,
      };
      await explainFailure("saving time entries", lines, () =>
        saveTimeEntryBatch(
          tx,
          lookups,
          {
            workspaceId: ctx.workspaceId,
            entries: parsed.rows,
            actor: auditActorOf(ctx.actor),
            skipIds: true,
          },
          now,
          saved,
        ),
      );
      input.onProgress?.({ rows, bytesRead: batch.bytesRead });
    }
    return saved.errors.length === 0 && !dryRun;
  });
  saved.rolledBack = !committed;
  const errors = saved.errors.sort((a, b) => a.line - b.line);
  if (errors.length > 0) return { ...empty, format, rows, errors };
  return {
    format,
    dryRun,
    rolledBack: saved.rolledBack,
    rows,
    created: saved.created,
    updated: saved.updated,
    unchanged: saved.unchanged,
    errors,
  };
}
