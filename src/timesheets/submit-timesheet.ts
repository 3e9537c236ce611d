// The person sends a week (project, period) for approval; the approver gets a DM with buttons.
import type { Ctx } from "../context.ts";
import { type TransitionResult, transitionOne } from "./timesheet-transition.ts";

/** Permission: the person whose time it is, an admin or the CLI (transitionOne checks it against the sheet). */
export function submitTimesheet(
  ctx: Ctx,
  input: { timesheetId: string; expectedVersion?: number },
): Promise<TransitionResult> {
  return transitionOne(ctx, { ...input, action: "submit" });
}
