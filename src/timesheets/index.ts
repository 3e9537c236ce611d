// The timesheets capability's public entry: what other parts of Cobro may use.
export { timesheetSlackHandlers } from "./jobs/slack-timesheets.ts";
export { listPendingApprovals } from "./list-pending-approvals.ts";
export { recordTimeEntries } from "./record-time-entries.ts";
export { loadTimeEntryLookups } from "./repo.ts";
export { runBillingCycle } from "./run-billing-cycle.ts";
export { runTimesheetJobs } from "./run-timesheet-jobs.ts";
export {
  billingIssueAll,
  openTimeEntryModal,
  timesheetApprove,
  timesheetApproveAll,
  timesheetLogSubmit,
  timesheetReject,
  timesheetRejectSubmit,
} from "./slack/timesheet-handlers.ts";
export type { TimesheetSummary } from "./slack/timesheet-messages.ts";
export { buildPendingApprovalsSection } from "./slack/timesheet-messages.ts";
export { saveTimeEntryBatch, type TimeEntryBatchResult } from "./time-entry-batch-repo.ts";
