// The approver approves a submitted timesheet: its entries are locked and become billable.
import type { Ctx } from "../context.ts";
import { type TransitionResult, transitionOne } from "./timesheet-transition.ts";

/** Permission: the timesheet's approver (transitionOne checks it against the sheet). */
export function approveTimesheet(
  ctx: Ctx,
  input: { timesheetId: string; expectedVersion?: number },
): Promise<TransitionResult> {
  return transitionOne(ctx, { ...input, action: "approve" });
}
