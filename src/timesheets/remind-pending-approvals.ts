// Reminds approvers of timesheets submitted more than settings.approvalReminderDays ago: one
// reminder per timesheet per local day, however often and on however many instances this runs.
import type { Ctx } from "../context.ts";
import { claimDeliveries } from "../delivery/index.ts";
import { localToday } from "../domain/overdue.ts";
import { designatedApprover } from "../domain/timesheet-state.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import { listSubmittedBefore } from "./repo.ts";
import { TIMESHEET_PAYLOADS } from "./timesheet-payloads.ts";

export const DEFAULT_APPROVAL_REMINDER_DAYS = 2;

/** Scheduled work (the system actor): it only reminds, so it asks no permission. */
export async function remindPendingApprovals(
  ctx: Ctx,
  _input: Record<string, never> = {},
): Promise<{ reminded: number; pending: number }> {
  const workspace = await findWorkspaceById(ctx.db, ctx.workspaceId);
  if (!workspace) return { reminded: 0, pending: 0 };
  const days = workspace.settings.approvalReminderDays ?? DEFAULT_APPROVAL_REMINDER_DAYS;
  const now = ctx.now();
  const today = localToday(now, workspace.timeZone);
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const rows = await listSubmittedBefore(ctx.db, ctx.workspaceId, cutoff);
  const ids = await claimDeliveries(
    ctx.db,
    rows.map((row) => ({
      workspaceId: ctx.workspaceId,
      kind: "slack_dm" as const,
      dedupeKey: `timesheet-reminder:${row.id}:${today}`,
      payload: {
        type: TIMESHEET_PAYLOADS.approvalReminder,
        timesheetId: row.id,
        version: row.version,
        approverMemberId: designatedApprover(row),
      },
    })),
  );
  if (ids.length > 0) await ctx.enqueue(ids);
  return { reminded: ids.length, pending: rows.length };
}
