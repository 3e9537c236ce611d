// The milestone state machine: planned → done → invoiced, with undo allowed only before invoicing.
import { DomainError } from "./errors.ts";

export type MilestoneStatus = "planned" | "done" | "invoiced";

export type MilestoneTransition = "complete" | "undo" | "invoice";

/** "apply" when the transition changes the state, "noop" when it is already in the target state. */
export function planMilestoneTransition(
  status: MilestoneStatus,
  transition: MilestoneTransition,
  milestoneName: string,
): "apply" | "noop" {
  switch (transition) {
    case "complete":
      return status === "planned" ? "apply" : "noop";
    case "invoice":
      if (status === "invoiced") return "noop";
      if (status === "done") return "apply";
      throw new DomainError("milestone.not_done", `milestone ${milestoneName} is not done`, {
        userMessage: `"${milestoneName}" is not marked done yet: mark it done first.`,
        messageKey: "milestone.error.not_done",
        messageValues: { milestone: milestoneName },
      });
    case "undo":
      if (status === "planned") return "noop";
      if (status === "done") return "apply";
      throw new DomainError("milestone.already_invoiced", `milestone ${milestoneName} is invoiced`, {
        userMessage: `"${milestoneName}" has already been invoiced, so it cannot be undone. Ask billing to credit the invoice instead.`,
        messageKey: "milestone.error.already_invoiced",
        messageValues: { milestone: milestoneName },
      });
  }
}
