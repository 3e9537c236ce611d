// The invoice lifecycle: draft/held → issued → partially_paid → paid | credited, and the milestone
// that an invoice bills (planned → done → invoiced), as pure functions.
import { DomainError } from "./errors.ts";

export type InvoiceStatus = "draft" | "held" | "issued" | "partially_paid" | "paid" | "credited" | "void";
export type InvoiceCommand = "edit" | "hold" | "release" | "issue" | "delete" | "pay" | "credit" | "send";

const EDITABLE: ReadonlySet<InvoiceStatus> = new Set(["draft", "held"]);
const OPEN: ReadonlySet<InvoiceStatus> = new Set(["issued", "partially_paid"]);

export const isIssuedStatus = (status: InvoiceStatus): boolean => !EDITABLE.has(status) && status !== "void";

const REFUSALS: Record<InvoiceCommand, string> = {
  edit: "Only a draft can be edited; an issued invoice is corrected with a credit note.",
  hold: "Only a draft can be put on hold.",
  release: "Only a held draft can be released.",
  issue: "Only a draft can be issued.",
  delete: "Only a draft can be deleted; an issued invoice is cancelled with a credit note.",
  pay: "Payments can only be recorded on an issued invoice that is not fully paid or credited.",
  credit: "Only an issued invoice, open or paid, can be credited; a cancelled or fully credited one cannot.",
  send: "Only an issued invoice can be sent.",
};

/** The status after a command, or a DomainError saying why the command is refused. */
export function transitionInvoice(status: InvoiceStatus, command: InvoiceCommand): InvoiceStatus {
  const refuse = (): never => {
    throw new DomainError("invoice.state", `cannot ${command} an invoice in status ${status}`, {
      userMessage: `${REFUSALS[command]} (this one is ${status.replace("_", " ")}).`,
      messageKey: "invoicing.error.state",
      messageValues: { command, status },
    });
  };
  switch (command) {
    case "edit":
    case "delete":
      return EDITABLE.has(status) ? status : refuse();
    case "hold":
      return status === "draft" ? "held" : refuse();
    case "release":
      return status === "held" ? "draft" : refuse();
    case "issue":
      return EDITABLE.has(status) ? "issued" : refuse();
    case "pay":
      return OPEN.has(status) ? status : refuse();
    case "credit":
      // A paid invoice may be corrected too: what was paid beyond the corrected amount is refunded.
      return OPEN.has(status) || status === "paid" ? status : refuse();
    case "send":
      return isIssuedStatus(status) ? status : refuse();
  }
}

/**
 * Status from what has been settled against the collectible amount. Fully settled with no
 * payment at all means the whole invoice was credited.
 */
export function settlementStatus(amounts: {
  collectibleMinor: number;
  paidMinor: number;
  creditedMinor: number;
}): { status: InvoiceStatus; openMinor: number } {
  const openMinor = amounts.collectibleMinor - amounts.paidMinor - amounts.creditedMinor;
  if (openMinor < 0) {
    throw new DomainError("invoice.overpaid", `settlements exceed the amount due by ${-openMinor}`);
  }
  if (openMinor > 0) {
    return { status: amounts.paidMinor > 0 ? "partially_paid" : "issued", openMinor };
  }
  return { status: amounts.paidMinor > 0 ? "paid" : "credited", openMinor };
}

/**
 * Status after a credit note: like settlementStatus, except that credits may bring the settled
 * amount above what is due, when the invoice was already paid: the excess is a refund due.
 */
export function settlementAfterCredit(amounts: {
  collectibleMinor: number;
  paidMinor: number;
  creditedMinor: number;
}): { status: InvoiceStatus; openMinor: number; refundDueMinor: number } {
  const openMinor = amounts.collectibleMinor - amounts.paidMinor - amounts.creditedMinor;
  if (openMinor >= 0) return { ...settlementStatus(amounts), refundDueMinor: 0 };
  const fullyCredited = amounts.creditedMinor >= amounts.collectibleMinor;
  return { status: fullyCredited ? "credited" : "paid", openMinor: 0, refundDueMinor: -openMinor };
}

/** The refusal when an invoice id names no invoice of the workspace (deleted, or another workspace's). */
export function invoiceNotFound(): DomainError {
  return new DomainError("invoice.not_found", "invoice not found", {
    userMessage: "That invoice does not exist in this workspace.",
    messageKey: "invoicing.error.not_found",
  });
}

// The milestone state machine: planned → done → invoiced, with undo allowed only before invoicing.
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

/** The status of an issued invoice from what is still open on it. */
export function statusForOpen(totalMinor: number, openMinor: number): InvoiceStatus {
  if (openMinor === 0) return "paid";
  return openMinor === totalMinor ? "issued" : "partially_paid";
}
