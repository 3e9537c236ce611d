// The approver approves a submitted timesheet: its entries are locked and become billable.
import type { ServiceDeps } from "../context.ts";
import { type TimesheetActor, type TransitionResult, transitionOne } from "./timesheet-transition.ts";

export function approveTimesheet(
  deps: ServiceDeps,
  input: { workspaceId: string; timesheetId: string; actor: TimesheetActor; expectedVersion?: number },
): Promise<TransitionResult> {
  return transitionOne(deps, { ...input, action: "approve" });
}
