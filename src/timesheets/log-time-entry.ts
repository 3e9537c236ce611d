// A person logs (or corrects) time from Slack and may submit the week at once; with no hours, the week
// is submitted as it stands (time imported from a tracker has no other way to be submitted).
import { randomUUID } from "node:crypto";
import type { Ctx } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { projectCodeKey } from "../domain/names.ts";
import { assertAllowed, memberIdOf } from "../domain/permissions.ts";
import { readBillable, readDate, readDuration, type TimeEntryDraft } from "../domain/time-entry-formats.ts";
import { periodFor } from "../domain/timesheet-period.ts";
import { recordTimeEntries } from "./record-time-entries.ts";
import { findMemberById, findProjectByCodeKey, findTimesheetByKey } from "./repo.ts";
import { submitTimesheet } from "./submit-timesheet.ts";
import type { TransitionResult } from "./timesheet-transition.ts";

export type LogTimeEntryInput = {
  project: string;
  date: string;
  hours: string;
  description: string;
  billable?: string;
  /** An id of the entry to correct (its external id); a new entry otherwise. */
  externalId?: string;
  submitWeek?: boolean;
};

/** One field's problem: in English, and as a catalogue key with its values for the reader's language. */
export type TimeEntryFieldError = {
  message: string;
  messageKey: string;
  messageValues?: Record<string, string>;
};

/** Field errors keyed like the modal's inputs, so the listener can show them next to each one. */
export class TimeEntryFieldErrors extends DomainError {
  constructor(readonly fieldErrors: Record<string, TimeEntryFieldError>) {
    super("time_entry.invalid", "invalid time entry", {
      userMessage: Object.values(fieldErrors)
        .map((e) => e.message)
        .join(" "),
    });
  }
}

const fieldError = (field: string, label: string, read: { message: string; problem: string }) => ({
  message: `${label} ${read.message}.`,
  messageKey: `timesheets.log.error.${field}_${read.problem}`,
});

const unknownProject = (code: string): TimeEntryFieldError => ({
  message: `No project has the code "${code}".`,
  messageKey: "timesheets.log.error.project_unknown",
  messageValues: { code },
});

export type LogTimeEntryResult = {
  /** False when the person only submitted the week (no hours typed). */
  logged: boolean;
  created: boolean;
  submitted: TransitionResult | null;
  periodStart: string;
};

export async function logTimeEntry(ctx: Ctx, input: LogTimeEntryInput): Promise<LogTimeEntryResult> {
  assertAllowed(ctx.actor, { action: "recordTime" });
  const memberId = memberIdOf(ctx.actor);
  const member = memberId ? await findMemberById(ctx.db, ctx.workspaceId, memberId) : undefined;
  if (!member?.email) {
    throw new DomainError("time_entry.no_email", "member without email", {
      userMessage:
        "Cobro does not know your e-mail yet: ask an admin to add a line for you (your e-mail and name) with `cobro import people people.csv`.",
    });
  }
  if (input.submitWeek && input.hours.trim() === "") return submitWeekAsItStands(ctx, member.email, input);
  const errors: Record<string, TimeEntryFieldError> = {};
  const date = readDate(input.date);
  const minutes = readDuration(input.hours);
  const billable = readBillable(input.billable);
  if (!date.ok) errors.date = fieldError("date", "Date", date);
  if (!minutes.ok) errors.hours = fieldError("hours", "Hours", minutes);
  if (!billable.ok) errors.billable = fieldError("billable", "Billable", billable);
  const project = await findProjectByCodeKey(ctx.db, ctx.workspaceId, projectCodeKey(input.project));
  if (!project) errors.project = unknownProject(input.project);
  if (Object.keys(errors).length > 0 || !date.ok || !minutes.ok || !billable.ok || !project) {
    throw new TimeEntryFieldErrors(errors);
  }
  const draft: TimeEntryDraft = {
    line: 1,
    source: "slack",
    externalId: input.externalId ?? `slack:${randomUUID()}`,
    identity: "",
    projectCode: project.code,
    projectName: null,
    personEmail: member.email.toLowerCase(),
    personName: member.name,
    workDate: date.value,
    minutes: minutes.value,
    description: input.description.trim().slice(0, 2000),
    task: null,
    billable: billable.value,
  };
  const saved = await recordTimeEntries(ctx, { entries: [draft] });
  const locked = saved.errors.find((e) => e.lockedTimesheet);
  if (locked) {
    throw new TimeEntryFieldErrors({
      date: {
        message: locked.message,
        messageKey: "timesheets.log.error.date_locked",
        messageValues: { status: locked.lockedTimesheet ?? "" },
      },
    });
  }
  if (saved.errors.length > 0) {
    throw new DomainError("time_entry.refused", "entry refused", {
      userMessage: saved.errors.map((e) => e.message).join("; "),
    });
  }
  const periodStart = periodFor(date.value).start;
  let submitted: TransitionResult | null = null;
  if (input.submitWeek) {
    const sheet = await findTimesheetByKey(ctx.db, ctx.workspaceId, {
      projectId: project.id,
      personEmail: draft.personEmail ?? "",
      periodStart,
    });
    if (sheet) submitted = await submitTimesheet(ctx, { timesheetId: sheet.id });
  }
  return { logged: true, created: saved.created > 0, submitted, periodStart };
}

/** The week of `input.date` on the project, submitted with the time it already holds. */
async function submitWeekAsItStands(
  ctx: Ctx,
  personEmail: string,
  input: LogTimeEntryInput,
): Promise<LogTimeEntryResult> {
  const date = readDate(input.date);
  const project = await findProjectByCodeKey(ctx.db, ctx.workspaceId, projectCodeKey(input.project));
  if (!date.ok) throw new TimeEntryFieldErrors({ date: fieldError("date", "Date", date) });
  if (!project) throw new TimeEntryFieldErrors({ project: unknownProject(input.project) });
  const periodStart = periodFor(date.value).start;
  const sheet = await findTimesheetByKey(ctx.db, ctx.workspaceId, {
    projectId: project.id,
    personEmail: personEmail.toLowerCase(),
    periodStart,
  });
  if (!sheet)
    throw new TimeEntryFieldErrors({
      hours: {
        message: `You have no time on ${project.code} in the week of ${periodStart}: type the hours to log them.`,
        messageKey: "timesheets.log.error.nothing_to_submit",
        messageValues: { code: project.code, week: periodStart },
      },
    });
  const submitted = await submitTimesheet(ctx, { timesheetId: sheet.id });
  return { logged: false, created: false, submitted, periodStart };
}
