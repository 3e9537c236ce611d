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
    });
  }
  if (action === "reject" && !options.reason?.trim()) {
    throw new DomainError("timesheet.reason_required", "a rejection needs a reason", {
      userMessage: "Say why the timesheet is rejected, so the person knows what to correct.",
      field: "reason",
    });
  }
  if (action === "submit" && options.hasEntries === false) {
    throw new DomainError("timesheet.empty", "nothing to submit", {
      userMessage: "There is no time logged in this period: log some time before submitting.",
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
export function whyNotApprover(
  actor: ApproverActor,
  sheet: { designatedApproverId: string | null; personEmail: string; projectLabel: string },
): string | null {
  if (actor.email && actor.email.toLowerCase() === sheet.personEmail.toLowerCase()) {
    return "You cannot approve or reject your own timesheet.";
  }
  if (sheet.designatedApproverId) {
    return actor.memberId === sheet.designatedApproverId
      ? null
      : `Only the approver of ${sheet.projectLabel} can approve or reject its timesheets.`;
  }
  return actor.roles.includes("approver")
    ? null
    : `${sheet.projectLabel} has no approver and you do not have the approver role; an admin can set it with \`/cobro setup\`.`;
}

export function assertApprover(...args: Parameters<typeof whyNotApprover>): void {
  const why = whyNotApprover(...args);
  if (why) throw new DomainError("permission.denied", why, { userMessage: why });
}
