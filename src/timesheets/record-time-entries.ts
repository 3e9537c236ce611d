// Saves validated time entries (CSV import, API, Slack) into their timesheets: all or none,
// idempotent on the external id, and never touching entries of submitted or approved timesheets.
import type { ServiceDeps } from "../context.ts";
import {
  loadTimeEntryLookups,
  saveTimeEntryBatch,
  type TimeEntryBatchInput,
  type TimeEntryBatchResult,
} from "./save-time-entry-batch.ts";

export type RecordTimeEntriesInput = TimeEntryBatchInput;
export type RecordTimeEntriesResult = TimeEntryBatchResult;

class Rollback extends Error {}

export async function recordTimeEntries(
  deps: ServiceDeps,
  input: RecordTimeEntriesInput,
): Promise<RecordTimeEntriesResult> {
  const result: RecordTimeEntriesResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    errors: [],
    entryIds: [],
    rolledBack: true,
  };
  try {
    await deps.db.transaction(async (tx) => {
      const lookups = await loadTimeEntryLookups(tx, input.workspaceId);
      await saveTimeEntryBatch(tx, lookups, input, deps.now(), result);
      if (result.errors.length > 0 || input.dryRun) throw new Rollback();
      result.rolledBack = false;
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
    if (result.errors.length > 0) {
      result.created = 0;
      result.updated = 0;
      result.entryIds = [];
    }
  }
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}
