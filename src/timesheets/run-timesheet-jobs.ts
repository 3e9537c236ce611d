// The scheduled timesheet work of one workspace: approval reminders once a local day, the billing
// cycle once a billing period. Each is claimed in scheduled_runs, so any number of instances run it once.

import { type Ctx, contextFor } from "../context.ts";
import { localToday } from "../domain/overdue.ts";
import { systemActor } from "../domain/permissions.ts";
import { billingRunDate } from "../domain/timesheet-period.ts";
import { claimScheduledRun, findWorkspaceById, finishScheduledRun } from "../workspace/index.ts";
import { remindPendingApprovals } from "./remind-pending-approvals.ts";
import { runBillingCycle } from "./run-billing-cycle.ts";

export const APPROVAL_REMINDERS_JOB = "approval-reminders";
export const BILLING_CYCLE_JOB = "billing-cycle";

export type TimesheetJobsResult = { approvalReminders: number | null; draftsBilled: number | null };

/** Scheduled work (the system actor): each part is claimed once per period, and checks its own permission. */
export async function runTimesheetJobs(
  ctx: Ctx,
  _input: Record<string, never> = {},
): Promise<TimesheetJobsResult> {
  const workspace = await findWorkspaceById(ctx.db, ctx.workspaceId);
  if (!workspace) return { approvalReminders: null, draftsBilled: null };
  const today = localToday(ctx.now(), workspace.timeZone);
  const result: TimesheetJobsResult = { approvalReminders: null, draftsBilled: null };

  const reminderRun = await claimScheduledRun(ctx.db, workspace.id, APPROVAL_REMINDERS_JOB, today);
  if (reminderRun) {
    const { reminded } = await remindPendingApprovals(ctx);
    await finishScheduledRun(ctx.db, reminderRun, { reminded });
    result.approvalReminders = reminded;
  }

  const cadence = workspace.settings.billingCadence ?? "monthly";
  const billingRun = await claimScheduledRun(
    ctx.db,
    workspace.id,
    BILLING_CYCLE_JOB,
    billingRunDate(today, cadence),
  );
  if (billingRun) {
    // The drafts are the billing cycle's: its audit rows name it.
    const billing = contextFor(ctx, workspace.id, systemActor("billing-cycle"));
    const cycle = await runBillingCycle(billing, { asOf: today });
    await finishScheduledRun(ctx.db, billingRun, {
      drafts: cycle.drafts.length,
      entries: cycle.entriesBilled,
    });
    result.draftsBilled = cycle.drafts.length;
  }
  return result;
}
