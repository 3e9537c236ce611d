// The approver answers an approval request (its Approve button, or its Reject modal): the decision
// for the version the request showed, and the timesheet as it now is, to show in its place.
import type { ServiceDeps } from "../context.ts";
import type { SlackActor } from "../domain/permissions.ts";
import { approveTimesheet } from "./approve-timesheet.ts";
import { loadTimesheetSummary } from "./load-timesheet-summary.ts";
import { rejectTimesheet } from "./reject-timesheet.ts";
import type { TimesheetSummary } from "./slack/timesheet-messages.ts";
import { timesheetActorOf } from "./timesheet-transition.ts";

export type ApprovalAnswer = {
  /** The same decision was already taken (a double click): nothing happened twice. */
  alreadyDone: boolean;
  summary: TimesheetSummary;
};

export async function answerApprovalRequest(
  deps: ServiceDeps,
  input: {
    workspaceId: string;
    timesheetId: string;
    /** The version the request showed: a request older than a resubmission is refused. */
    version: number;
    actor: SlackActor;
    decision: { verb: "approve" } | { verb: "reject"; reason: string };
  },
): Promise<ApprovalAnswer> {
  const move = {
    workspaceId: input.workspaceId,
    timesheetId: input.timesheetId,
    expectedVersion: input.version,
    actor: timesheetActorOf(input.actor),
  };
  const result =
    input.decision.verb === "approve"
      ? await approveTimesheet(deps, move)
      : await rejectTimesheet(deps, { ...move, reason: input.decision.reason });
  const summary = await loadTimesheetSummary(deps.db, input.workspaceId, input.timesheetId);
  return { alreadyDone: result.alreadyDone, summary };
}
