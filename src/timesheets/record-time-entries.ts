// Saves validated time entries (CSV import, API, Slack) into their timesheets: all or none,
// idempotent on the external id, and never touching entries of submitted or approved timesheets.
import type { Ctx } from "../context.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { loadTimeEntryLookups } from "./repo.ts";
import {
  saveTimeEntryBatch,
  type TimeEntryBatchInput,
  type TimeEntryBatchResult,
} from "./time-entry-batch-repo.ts";

export type RecordTimeEntriesInput = Omit<TimeEntryBatchInput, "workspaceId" | "actor">;
export type RecordTimeEntriesResult = TimeEntryBatchResult;

class Rollback extends Error {}

export async function recordTimeEntries(
  ctx: Ctx,
  input: RecordTimeEntriesInput,
): Promise<RecordTimeEntriesResult> {
  assertAllowed(ctx.actor, { action: "recordTime" });
  const batch = { ...input, workspaceId: ctx.workspaceId, actor: auditActorOf(ctx.actor) };
  const result: RecordTimeEntriesResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    errors: [],
    entryIds: [],
    rolledBack: true,
  };
  try {
    await ctx.db.transaction(async (tx) => {
      const lookups = await loadTimeEntryLookups(tx, ctx.workspaceId);
      await saveTimeEntryBatch(tx, lookups, batch, ctx.now(), result);
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
