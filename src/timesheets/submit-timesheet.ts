// The person sends a week (project, period) for approval; the approver gets a DM with buttons.
import type { ServiceDeps } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import {
  loadTimesheetOrFail,
  type TimesheetActor,
  type TransitionResult,
  transitionOne,
} from "./timesheet-transition.ts";

export async function submitTimesheet(
  deps: ServiceDeps,
  input: { workspaceId: string; timesheetId: string; actor: TimesheetActor; expectedVersion?: number },
): Promise<TransitionResult> {
  const sheet = await loadTimesheetOrFail(deps.db, input.workspaceId, input.timesheetId);
  const own = input.actor.email && input.actor.email.toLowerCase() === sheet.personEmail.toLowerCase();
  if (!own && !input.actor.roles.includes("admin") && input.actor.label !== "cli") {
    throw new DomainError("permission.denied", "not the person's timesheet", {
      userMessage: "Only the person whose time it is (or an admin) can submit this timesheet.",
    });
  }
  return transitionOne(deps, { ...input, action: "submit" });
}
