// Forgets Events API event ids after a few days: Slack retries a delivery within minutes, so older rows
// of slack_events_seen only make the table grow. Like the other daily jobs it is claimed per workspace
// and local day in scheduled_runs. The table has no workspace (an event is deduped before its team is
// resolved), so each workspace's run prunes the whole table: the first run of the day deletes, later
// ones find nothing left to delete.

import type { Ctx } from "../context.ts";
import { localToday } from "../domain/overdue.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { claimScheduledRun, findWorkspaceById, finishScheduledRun } from "./repo.ts";
import { deleteSlackEventsSeenBefore } from "./slack-events-repo.ts";

export const SLACK_EVENTS_PRUNE_JOB = "slack-events-prune";
export const SLACK_EVENTS_KEPT_DAYS = 3;

export type PruneSlackEventsResult = { ran: boolean; deleted: number };

export async function pruneSlackEvents(
  ctx: Ctx,
  _input: Record<string, never> = {},
): Promise<PruneSlackEventsResult> {
  assertAllowed(ctx.actor, { action: "configure" });
  const workspace = await findWorkspaceById(ctx.db, ctx.workspaceId);
  if (!workspace) return { ran: false, deleted: 0 };
  const now = ctx.now();
  const today = localToday(now, workspace.timeZone);
  const runId = await claimScheduledRun(ctx.db, workspace.id, SLACK_EVENTS_PRUNE_JOB, today);
  if (!runId) return { ran: false, deleted: 0 };
  const cutoff = new Date(now.getTime() - SLACK_EVENTS_KEPT_DAYS * 24 * 60 * 60 * 1000);
  const deleted = await deleteSlackEventsSeenBefore(ctx.db, cutoff);
  await finishScheduledRun(ctx.db, runId, { deleted });
  return { ran: true, deleted };
}
