// The type tags of the timesheet deliveries: the verbs that claim them write them, the handlers of
// jobs/slack-timesheets.ts read them.
export const TIMESHEET_PAYLOADS = {
  approvalRequest: "timesheet_approval_request",
  approvalReminder: "timesheet_approval_reminder",
  decision: "timesheet_decision",
  billingDigest: "billing_cycle_digest",
} as const;
