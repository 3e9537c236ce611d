// Claims the Slack notification of an invoice event (issued, e-mailed, received, paid, reminded…).
// The Slack delivery handler posts it in the invoice's thread and refreshes the parent message.
import type { Db } from "../db/client.ts";
import { claimDelivery, type DeliveryClaim } from "../delivery/index.ts";

export type InvoiceEvent =
  | "draft_created"
  | "issued"
  | "emailed"
  | "email_bounced"
  | "email_delivered"
  | "received"
  | "payment_recorded"
  | "online_payment_unapplied"
  | "paid"
  | "credited"
  | "cancelled"
  | "held"
  | "reminder_sent"
  | "overdue"
  | "promise_to_pay"
  | "paused"
  | "disputed"
  | "assigned";

export type InvoiceEventNotice = {
  workspaceId: string;
  invoiceId: string;
  event: InvoiceEvent;
  /** Distinguishes repeated events of the same kind (payment id, reminder level, send request id). */
  occurrence?: string;
  /** Who did it (member id or "system") and short facts to show. */
  actor?: string;
  detail?: Record<string, unknown>;
};

export const INVOICE_EVENT_PAYLOAD = "invoice_event";

export function notifyInvoiceEvent(db: Db, notice: InvoiceEventNotice): Promise<string | null> {
  return claimDelivery(db, invoiceEventClaim(notice));
}

/** The delivery claim of a notice, for callers that claim many at once. */
export function invoiceEventClaim(notice: InvoiceEventNotice): DeliveryClaim {
  return {
    workspaceId: notice.workspaceId,
    kind: "slack_message",
    invoiceId: notice.invoiceId,
    dedupeKey: `invoice-event:${notice.invoiceId}:${notice.event}:${notice.occurrence ?? "once"}`,
    payload: {
      type: INVOICE_EVENT_PAYLOAD,
      invoiceId: notice.invoiceId,
      event: notice.event,
      actor: notice.actor ?? "system",
      detail: notice.detail ?? {},
    },
  };
}
