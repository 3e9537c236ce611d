// The approver answers an approval request (its Approve button, or its Reject modal): the decision
// for the version the request showed, and the timesheet as it now is, to show in its place.
import type { Ctx } from "../context.ts";
import { approveTimesheet } from "./approve-timesheet.ts";
import { loadTimesheetSummary } from "./load-timesheet-summary.ts";
import { rejectTimesheet } from "./reject-timesheet.ts";
import type { TimesheetSummary } from "./slack/timesheet-messages.ts";

export type ApprovalAnswer = {
  /** The same decision was already taken (a double click): nothing happened twice. */
  alreadyDone: boolean;
  summary: TimesheetSummary;
};

/** Permission: the timesheet's approver (checked by approve/reject against the sheet). */
export async function answerApprovalRequest(
  ctx: Ctx,
  input: {
    timesheetId: string;
    /** The version the request showed: a request older than a resubmission is refused. */
    version: number;
    decision: { verb: "approve" } | { verb: "reject"; reason: string };
  },
): Promise<ApprovalAnswer> {
  const move = { timesheetId: input.timesheetId, expectedVersion: input.version };
  const result =
    input.decision.verb === "approve"
      ? await approveTimesheet(ctx, move)
      : await rejectTimesheet(ctx, { ...move, reason: input.decision.reason });
  const summary = await loadTimesheetSummary(ctx, { timesheetId: input.timesheetId });
  return { alreadyDone: result.alreadyDone, summary };
}
