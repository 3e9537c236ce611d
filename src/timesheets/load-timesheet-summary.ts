// What the approval DM and the App Home show of a timesheet: hours per day, billable amount.
// A read: its callers (the approval answer, the Home's list, the DM handlers) decide who sees it.
import type { Ctx } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { timeNetMinor } from "../domain/timesheet-billing.ts";
import { daysOf } from "../domain/timesheet-period.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import { findMemberNames, findPersonRate, findTimesheet, summarizeTimesheetEntries } from "./repo.ts";
import type { TimesheetSummary } from "./slack/timesheet-messages.ts";

export async function loadTimesheetSummary(
  ctx: Ctx,
  input: { timesheetId: string },
): Promise<TimesheetSummary> {
  const { db, workspaceId } = ctx;
  const { timesheetId } = input;
  const sheet = await findTimesheet(db, workspaceId, timesheetId);
  if (!sheet)
    throw new DomainError("timesheet.not_found", "timesheet not found", {
      userMessage: "This timesheet no longer exists.",
      messageKey: "timesheets.error.not_found",
    });
  const perDay = await summarizeTimesheetEntries(db, timesheetId);
  const hourly =
    (await findPersonRate(db, sheet.projectId, sheet.personEmail)) ?? sheet.projectHourlyRateMinor;
  const names = await findMemberNames(db, workspaceId, {
    personEmail: sheet.personEmail,
    deciderMemberId: sheet.decidedByMemberId,
  });
  const ws = await findWorkspaceById(db, workspaceId);
  const minutesByDay = new Map(perDay.map((d) => [String(d.work_date), Number(d.minutes)]));
  const billableMinutes = perDay.reduce((sum, d) => sum + Number(d.billable_minutes), 0);
  return {
    timesheetId: sheet.id,
    version: sheet.version,
    status: sheet.status,
    personName: names.person ?? sheet.personEmail,
    personEmail: sheet.personEmail,
    projectCode: sheet.projectCode,
    projectName: sheet.projectName,
    periodStart: String(sheet.periodStart),
    periodEnd: String(sheet.periodEnd),
    days: daysOf({ start: String(sheet.periodStart), end: String(sheet.periodEnd) }).map((date) => ({
      date,
      minutes: minutesByDay.get(date) ?? 0,
    })),
    totalMinutes: perDay.reduce((sum, d) => sum + Number(d.minutes), 0),
    billableMinutes,
    billableAmountMinor: hourly === null ? null : timeNetMinor(billableMinutes, hourly),
    currency: sheet.projectCurrency,
    rejectionReason: sheet.rejectionReason,
    decidedBy: names.decider,
    locale: ws?.locale ?? "en",
  };
}
