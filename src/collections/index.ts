// The collections capability's public entry: what other parts of Cobro may use.

export { chooseDebtorInvoice, type DebtorInvoiceChoice } from "./choose-debtor-invoice.ts";
export { REMINDER_EMAIL_PAYLOAD, STATEMENT_EMAIL_PAYLOAD } from "./collection-payloads.ts";
export { endPaymentHold } from "./end-payment-hold.ts";
export { holdForPayment } from "./hold-for-payment.ts";
export { issueInterestNote } from "./issue-interest-note.ts";
export { reminderEmailHandler } from "./jobs/send-reminder-email.ts";
export { sendStatementEmailHandler } from "./jobs/send-statement-email.ts";
export { collectionsSlackHandlers } from "./jobs/slack-collections.ts";
export { type ClientStatement, loadClientStatement } from "./load-client-statement.ts";
export { type ClientStatementPreview, previewClientStatement } from "./preview-client-statement.ts";
export type { RunRemindersResult } from "./run-reminders.ts";
export { runReminders } from "./run-reminders.ts";
export type { ScanOverdueResult } from "./scan-overdue.ts";
export { scanOverdue } from "./scan-overdue.ts";
export { sendClientStatement } from "./send-client-statement.ts";
export { sendMonthlyStatements } from "./send-monthly-statements.ts";
export { sendReminderNow } from "./send-reminder-now.ts";
export { reminderNowText } from "./slack/collection-replies.ts";
export {
  collectionApproveFormal,
  collectionAssignToMe,
  collectionClientPaymentSubmit,
  collectionDisputeSubmit,
  collectionModalButton,
  collectionPauseSubmit,
  collectionPaymentSubmit,
  collectionPromiseSubmit,
  collectionRemindNow,
} from "./slack/collections-handlers.ts";
export type { InvoiceLine } from "./slack/collections-view.ts";
export { buildClientPaymentModal, COLLECTION_ACTIONS, collectionButtons } from "./slack/collections-view.ts";
export { openCollectionModal } from "./slack/open-collection-modal.ts";
export { collectionPolicySubmit, openPolicyModal } from "./slack/policy-handlers.ts";
