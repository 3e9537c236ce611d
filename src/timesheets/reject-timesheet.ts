// The approver rejects a submitted timesheet with a reason, sent to the person, who corrects and resubmits.
import type { Ctx } from "../context.ts";
import { type TransitionResult, transitionOne } from "./timesheet-transition.ts";

/** Permission: the timesheet's approver (transitionOne checks it against the sheet). */
export function rejectTimesheet(
  ctx: Ctx,
  input: { timesheetId: string; reason: string; expectedVersion?: number },
): Promise<TransitionResult> {
  return transitionOne(ctx, { ...input, action: "reject" });
}
