// The scheduled timesheet work of one workspace: approval reminders once a local day, the billing
// cycle once a billing period. Each is claimed in scheduled_runs, so any number of instances run it once.

import type { ServiceDeps } from "../context.ts";
import { localToday } from "../domain/overdue.ts";
import { billingRunDate } from "../domain/timesheet-period.ts";
import { claimScheduledRun, findWorkspaceById, finishScheduledRun } from "../workspace/index.ts";
import { remindPendingApprovals } from "./remind-pending-approvals.ts";
import { runBillingCycle } from "./run-billing-cycle.ts";

export const APPROVAL_REMINDERS_JOB = "approval-reminders";
export const BILLING_CYCLE_JOB = "billing-cycle";

export type TimesheetJobsResult = { approvalReminders: number | null; draftsBilled: number | null };

export async function runTimesheetJobs(
  deps: ServiceDeps,
  input: { workspaceId: string },
): Promise<TimesheetJobsResult> {
  const workspace = await findWorkspaceById(deps.db, input.workspaceId);
  if (!workspace) return { approvalReminders: null, draftsBilled: null };
  const today = localToday(deps.now(), workspace.timeZone);
  const result: TimesheetJobsResult = { approvalReminders: null, draftsBilled: null };

  const reminderRun = await claimScheduledRun(deps.db, workspace.id, APPROVAL_REMINDERS_JOB, today);
  if (reminderRun) {
    const { reminded } = await remindPendingApprovals(deps, { workspaceId: workspace.id });
    await finishScheduledRun(deps.db, reminderRun, { reminded });
    result.approvalReminders = reminded;
  }

  const cadence = workspace.settings.billingCadence ?? "monthly";
  const billingRun = await claimScheduledRun(
    deps.db,
    workspace.id,
    BILLING_CYCLE_JOB,
    billingRunDate(today, cadence),
  );
  if (billingRun) {
    const cycle = await runBillingCycle(deps, { workspaceId: workspace.id, asOf: today });
    await finishScheduledRun(deps.db, billingRun, {
      drafts: cycle.drafts.length,
      entries: cycle.entriesBilled,
    });
    result.draftsBilled = cycle.drafts.length;
  }
  return result;
}
