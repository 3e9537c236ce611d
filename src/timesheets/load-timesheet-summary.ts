// What the approval DM and the App Home show of a timesheet: hours per day, billable amount.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members, projectRates, projects, timesheets, workspaces } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import { timeNetMinor } from "../domain/timesheet-billing.ts";
import { daysOf } from "../domain/timesheet-period.ts";
import { findTimesheet, summarizeTimesheetEntries } from "./repo.ts";
import type { TimesheetSummary } from "./slack/timesheet-messages.ts";

export async function loadTimesheetSummary(
  db: Db,
  workspaceId: string,
  timesheetId: string,
): Promise<TimesheetSummary> {
  const sheet = await findTimesheet(db, workspaceId, timesheetId);
  if (!sheet)
    throw new DomainError("timesheet.not_found", "timesheet not found", {
      userMessage: "This timesheet no longer exists.",
      messageKey: "timesheets.error.not_found",
    });
  const perDay = await summarizeTimesheetEntries(db, timesheetId);
  const [rate] = await db
    .select({ rate: projectRates.hourlyRateMinor })
    .from(projectRates)
    .where(and(eq(projectRates.projectId, sheet.projectId), eq(projectRates.personEmail, sheet.personEmail)));
  const hourly = rate?.rate ?? sheet.projectHourlyRateMinor;
  const [person] = await db
    .select({ name: members.name })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), sql`lower(${members.email}) = ${sheet.personEmail}`));
  const [decider] = sheet.decidedByMemberId
    ? await db.select({ name: members.name }).from(members).where(eq(members.id, sheet.decidedByMemberId))
    : [];
  const [ws] = await db
    .select({ locale: workspaces.locale })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  const minutesByDay = new Map(perDay.map((d) => [String(d.work_date), Number(d.minutes)]));
  const billableMinutes = perDay.reduce((sum, d) => sum + Number(d.billable_minutes), 0);
  return {
    timesheetId: sheet.id,
    version: sheet.version,
    status: sheet.status,
    personName: person?.name ?? sheet.personEmail,
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
    decidedBy: decider?.name ?? null,
    locale: ws?.locale ?? "en",
  };
}

/** Submitted timesheets this member may decide (App Home), oldest first. */
export async function listPendingApprovals(
  db: Db,
  workspaceId: string,
  memberId: string,
  limit = 30,
): Promise<TimesheetSummary[]> {
  const [me] = await db.select({ roles: members.roles }).from(members).where(eq(members.id, memberId));
  const approverRole = me?.roles.includes("approver") ?? false;
  const rows = await db
    .select({ id: timesheets.id })
    .from(timesheets)
    .innerJoin(projects, eq(projects.id, timesheets.projectId))
    .where(
      and(
        eq(timesheets.workspaceId, workspaceId),
        eq(timesheets.status, "submitted"),
        approverRole
          ? sql`coalesce(${projects.approverMemberId}, ${projects.pmMemberId}, ${memberId}) = ${memberId}`
          : sql`coalesce(${projects.approverMemberId}, ${projects.pmMemberId}) = ${memberId}`,
      ),
    )
    .orderBy(timesheets.submittedAt)
    .limit(limit);
  const out: TimesheetSummary[] = [];
  for (const row of rows) out.push(await loadTimesheetSummary(db, workspaceId, row.id));
  return out;
}
