// Action and callback ids of the timesheet views, and the codec of their button values.
export const TIMESHEET_ACTIONS = {
  approve: "timesheet_approve",
  reject: "timesheet_reject",
  approveAll: "timesheet_approve_all",
  issueAll: "billing_issue_send_all",
} as const;

export const TIMESHEET_CALLBACKS = {
  reject: "timesheet_reject_submit",
  log: "timesheet_log_submit",
} as const;

export const TIMESHEET_FIELDS = {
  reason: { block: "reject_reason", action: "value" },
  project: { block: "time_project", action: "value" },
  date: { block: "time_date", action: "value" },
  hours: { block: "time_hours", action: "value" },
  description: { block: "time_description", action: "value" },
  billable: { block: "time_billable", action: "value" },
  submitWeek: { block: "time_submit_week", action: "value" },
} as const;

export type TimesheetRef = { timesheetId: string; version: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `t:<uuid>:<version>`: the version makes a click on an outdated request harmless. */
export function encodeTimesheetRef(ref: TimesheetRef): string {
  return `t:${ref.timesheetId}:${ref.version}`;
}

export function decodeTimesheetRef(raw: string | undefined): TimesheetRef | null {
  const [tag, id, version] = (raw ?? "").split(":");
  if (tag !== "t" || !id || !UUID.test(id) || !/^\d+$/.test(version ?? "")) return null;
  return { timesheetId: id, version: Number(version) };
}

export function decodeTimesheetRefs(raw: string | undefined): TimesheetRef[] {
  return (raw ?? "")
    .split(",")
    .map((part) => decodeTimesheetRef(part))
    .filter((ref): ref is TimesheetRef => ref !== null);
}
