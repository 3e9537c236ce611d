// The timesheet state machine: open → submitted → approved | rejected (reason) → submitted again.
import { DomainError } from "./errors.ts";

export const TIMESHEET_STATES = ["open", "submitted", "approved", "rejected"] as const;
export type TimesheetState = (typeof TIMESHEET_STATES)[number];
export type TimesheetAction = "submit" | "approve" | "reject" | "reopen";

export type Transition = { from: TimesheetState; to: TimesheetState; action: TimesheetAction };

const TARGET: Record<TimesheetAction, TimesheetState> = {
  submit: "submitted",
  approve: "approved",
  reject: "rejected",
  reopen: "open",
};

const ALLOWED_FROM: Record<TimesheetAction, readonly TimesheetState[]> = {
  submit: ["open", "rejected"],
  approve: ["submitted"],
  reject: ["submitted"],
  // Withdrawing an approval (before billing) lets the person correct the week again.
  reopen: ["approved"],
};

const PAST: Record<TimesheetState, string> = {
  open: "still open (not submitted)",
  submitted: "already submitted and waiting for approval",
  approved: "already approved",
  rejected: "already rejected",
};

/** The transition, or a DomainError whose userMessage says why not (double clicks included). */
export function transitionTimesheet(
  from: TimesheetState,
  action: TimesheetAction,
  options: { reason?: string | null; hasEntries?: boolean } = {},
): Transition {
  const to = TARGET[action];
  if (!ALLOWED_FROM[action].includes(from)) {
    throw new DomainError(`timesheet.${action}_refused`, `cannot ${action} a ${from} timesheet`, {
      userMessage: `This timesheet is ${PAST[from]}: it cannot be ${action === "submit" ? "submitted" : `${action}ed`} now.`,
      details: { from, action },
      messageKey: "timesheets.error.refused",
      messageValues: { from, action },
    });
  }
  if (action === "reject" && !options.reason?.trim()) {
    throw new DomainError("timesheet.reason_required", "a rejection needs a reason", {
      userMessage: "Say why the timesheet is rejected, so the person knows what to correct.",
      field: "reason",
      messageKey: "timesheets.error.reason_required",
    });
  }
  if (action === "submit" && options.hasEntries === false) {
    throw new DomainError("timesheet.empty", "nothing to submit", {
      userMessage: "There is no time logged in this period: log some time before submitting.",
      messageKey: "timesheets.error.empty",
    });
  }
  return { from, to, action };
}

/** Entries can be added or corrected only while the timesheet is with the person. */
export function entriesEditable(state: TimesheetState): boolean {
  return state === "open" || state === "rejected";
}

export type ApproverActor = { memberId: string | null; email?: string | null; roles: readonly string[] };

/**
 * Who may approve or reject: the project's approver (its PM when none is set); when the project
 * has neither, anyone with the approver role. Never the person whose time it is.
 */
type ApproverSheet = { designatedApproverId: string | null; personEmail: string; projectLabel: string };
export type ApproverRefusal = "own" | "not_approver" | "no_approver";

export function approverRefusal(actor: ApproverActor, sheet: ApproverSheet): ApproverRefusal | null {
  if (actor.email && actor.email.toLowerCase() === sheet.personEmail.toLowerCase()) return "own";
  if (sheet.designatedApproverId)
    return actor.memberId === sheet.designatedApproverId ? null : "not_approver";
  return actor.roles.includes("approver") ? null : "no_approver";
}

const REFUSALS: Record<ApproverRefusal, (project: string) => string> = {
  own: () => "You cannot approve or reject your own timesheet.",
  not_approver: (project) => `Only the approver of ${project} can approve or reject its timesheets.`,
  no_approver: (project) =>
    `${project} has no approver and you do not have the approver role; an admin can set it with \`/cobro setup\`.`,
};

export function whyNotApprover(actor: ApproverActor, sheet: ApproverSheet): string | null {
  const refusal = approverRefusal(actor, sheet);
  return refusal ? REFUSALS[refusal](sheet.projectLabel) : null;
}

export function assertApprover(actor: ApproverActor, sheet: ApproverSheet): void {
  const refusal = approverRefusal(actor, sheet);
  if (!refusal) return;
  const why = REFUSALS[refusal](sheet.projectLabel);
  throw new DomainError("permission.denied", why, {
    userMessage: why,
    messageKey: `timesheets.error.${refusal}`,
    messageValues: { project: sheet.projectLabel },
  });
}

/**
 * Who decides a timesheet: the project's approver, else its PM, never the person whose time it is (a PM
 * who is the project's approver logs time too); null: anyone with the approver role but them.
 */
export function designatedApprover(sheet: {
  approverMemberId: string | null;
  pmMemberId: string | null;
  memberId: string | null;
}): string | null {
  const candidates = [sheet.approverMemberId, sheet.pmMemberId];
  return candidates.find((id) => id !== null && id !== sheet.memberId) ?? null;
}
