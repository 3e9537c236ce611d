// Saves validated time entries (CSV import, API, Slack) into their timesheets: all or none,
// idempotent on the external id, and never touching entries of submitted or approved timesheets.
import type { Ctx } from "../context.ts";
import { commitIf } from "../db/commit-if.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { loadTimeEntryLookups } from "./repo.ts";
import {
  saveTimeEntryBatch,
  type TimeEntryBatchInput,
  type TimeEntryBatchResult,
} from "./time-entry-batch-repo.ts";

export type RecordTimeEntriesInput = Omit<TimeEntryBatchInput, "workspaceId" | "actor">;
export type RecordTimeEntriesResult = TimeEntryBatchResult;

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
  const committed = await commitIf(ctx.db, async (tx) => {
    const lookups = await loadTimeEntryLookups(tx, ctx.workspaceId);
    await saveTimeEntryBatch(tx, lookups, batch, ctx.now(), result);
    return result.errors.length === 0 && !input.dryRun;
  });
  result.rolledBack = !committed;
  if (result.errors.length > 0) {
    result.created = 0;
    result.updated = 0;
    result.entryIds = [];
  }
  result.errors.sort((a, b) => a.line - b.line);
  return result;
}
