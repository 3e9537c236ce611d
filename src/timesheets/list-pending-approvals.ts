// Submitted timesheets the acting member may decide (App Home), oldest first.
import type { Ctx } from "../context.ts";
import { memberIdOf } from "../domain/permissions.ts";
import { loadTimesheetSummary } from "./load-timesheet-summary.ts";
import { listPendingApprovalIds } from "./repo.ts";
import type { TimesheetSummary } from "./slack/timesheet-messages.ts";

/** A read of the actor's own queue: anyone but a member has none. */
export async function listPendingApprovals(
  ctx: Ctx,
  input: { limit?: number } = {},
): Promise<TimesheetSummary[]> {
  const memberId = memberIdOf(ctx.actor);
  if (!memberId) return [];
  const out: TimesheetSummary[] = [];
  for (const id of await listPendingApprovalIds(ctx.db, ctx.workspaceId, memberId, input.limit ?? 30)) {
    out.push(await loadTimesheetSummary(ctx, { timesheetId: id }));
  }
  return out;
}
