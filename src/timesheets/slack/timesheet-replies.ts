// What timesheet clicks answer in a line, in the reader's language. Pure.
import { calendarDate, type Locale, t } from "../../i18n/index.ts";
import { slackText } from "../../slack/kit/blocks.ts";
import { md } from "../../slack/kit/support.ts";
import type { ApproveTimesheetsResult, SkipReason } from "../approve-timesheets.ts";
import type { TimesheetSummary } from "./timesheet-messages.ts";

/** A second click on a decided request: what it already is. */
export function alreadyDecidedText(s: TimesheetSummary, locale: Locale): string {
  return md(locale, "timesheets.already", {
    project: s.projectCode,
    person: s.personName,
    week: calendarDate(s.periodStart),
    status: s.status,
  });
}

function skipReasonText(reason: SkipReason, locale: Locale): string {
  switch (reason.kind) {
    case "own":
    case "not_approver":
    case "no_approver":
      return t(locale, `timesheets.error.${reason.kind}`, { project: reason.project });
    case "already":
      return t(locale, "timesheets.skip.already", { status: reason.status });
    default:
      return t(locale, `timesheets.skip.${reason.kind}`);
  }
}

/** Approve all: how many were approved, and each reason for the others once. */
export function approvedAllText(result: ApproveTimesheetsResult, locale: Locale): string {
  const reasons = [...new Set(result.skipped.map((s) => skipReasonText(s.reason, locale)))].join("; ");
  return md(locale, "timesheets.approve_all.result", {
    approved: result.approved.length,
    skipped: result.skipped.length,
    reasons,
  });
}

/** Issue & send all: how many of the drafts went out, and each refusal once. */
export function issuedAllText(
  outcome: { issued: number; of: number; problems: string[] },
  locale: Locale,
): string {
  const said = t(locale, "timesheets.issue_all.result", { issued: outcome.issued, count: outcome.of });
  const problems = [...new Set(outcome.problems)].join(" ");
  const text = problems ? slackText`${said} ${problems}` : said;
  return outcome.issued === 0 && problems ? `:warning: ${text}` : `:outbox_tray: ${text}`;
}
