// The approver rejects a submitted timesheet with a reason, sent to the person, who corrects and resubmits.
import type { ServiceDeps } from "../context.ts";
import { type TimesheetActor, type TransitionResult, transitionOne } from "./timesheet-transition.ts";

export function rejectTimesheet(
  deps: ServiceDeps,
  input: {
    workspaceId: string;
    timesheetId: string;
    actor: TimesheetActor;
    reason: string;
    expectedVersion?: number;
  },
): Promise<TransitionResult> {
  return transitionOne(deps, { ...input, action: "reject" });
}
