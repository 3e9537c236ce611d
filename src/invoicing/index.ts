// The invoicing capability's public entry: what other parts of Cobro may use.
export { cancelInvoice } from "./cancel-invoice.ts";
export { completeMilestone } from "./complete-milestone.ts";
export { confirmReceipt } from "./confirm-receipt.ts";
export { createCreditNote } from "./create-credit-note.ts";
export { createInvoiceDraft } from "./create-invoice-draft.ts";
export { exportEInvoice } from "./export-e-invoice.ts";
export { findInvoiceByReference } from "./find-invoice.ts";
export { findReceipt } from "./find-receipt.ts";
export { invoicePdfAttachment } from "./invoice-pdf-attachment.ts";
export { issueAndSendInvoices } from "./issue-and-send-invoices.ts";
export { issueInvoice } from "./issue-invoice.ts";
export { issueDraftsInTransaction, issueLinkedNote } from "./issue-repo.ts";
export { sendInvoiceEmailHandler } from "./jobs/send-invoice-email.ts";
export { invoiceSlackHandlers } from "./jobs/slack-invoice-messages.ts";
export { linkProjectChannel } from "./link-project-channel.ts";
export type { ClientOpenInvoice } from "./list-client-open-invoices.ts";
export { listClientOpenInvoices } from "./list-client-open-invoices.ts";
export { listInvoices } from "./list-invoices.ts";
export { loadClientDetails } from "./load-client-details.ts";
export { loadInvoiceDetail } from "./load-invoice-detail.ts";
export { recordClientPayment } from "./record-client-payment.ts";
export { recordEmailEvents } from "./record-email-event.ts";
export { recordPayment } from "./record-payment.ts";
export { recordRefund } from "./record-refund.ts";
export { recordStripeEvent } from "./record-stripe-event.ts";
export { renderInvoiceDocument } from "./render-invoice-document.ts";
export type { InvoiceLineRow, InvoiceRow, WorkspaceRow } from "./repo.ts";
export {
  findClient,
  findClientByReference,
  findInvoice,
  findProjectByReference,
  findWorkspace,
  INVOICE_EMAIL_PAYLOAD,
  listInvoiceLines,
  listIssuedNotesFor,
  listPayments,
  notifyInvoiceEvent,
  openInvoicesOfClient,
  refundsDueOfClient,
} from "./repo.ts";
export { sendInvoice } from "./send-invoice.ts";
export {
  invoiceEditDraft,
  invoiceEditDraftSubmit,
  invoiceHold,
  invoiceIssueAndSend,
} from "./slack/invoice-handlers.ts";
export { milestoneCommand, milestonePickSubmit } from "./slack/milestone-handlers.ts";
export { clientEditSubmit, openPartyModal, projectEditSubmit } from "./slack/party-handlers.ts";
export { startOnlinePayment } from "./start-online-payment.ts";
export { type StripePayments, stripePayments } from "./stripe-client.ts";
export { updateClientDetails } from "./update-client-details.ts";
export { AEAT_ENDPOINTS } from "./verifactu/aeat-client.ts";
export { aeatClients } from "./verifactu/aeat-clients.ts";
export { loadVerifactuBacklog, loadVerifactuOverview } from "./verifactu/backlog-repo.ts";
export { checkVerifactuChains } from "./verifactu/check-verifactu-chains.ts";
export { correctVerifactuRecord } from "./verifactu/correct-verifactu-record.ts";
export { exportVerifactuSubmissions } from "./verifactu/export-verifactu-submissions.ts";
export { importVerifactuCertificate } from "./verifactu/import-verifactu-certificate.ts";
export { verifactuAlarmSlackHandlers } from "./verifactu/jobs/slack-verifactu-alarm.ts";
export { verifactuSlackHandlers } from "./verifactu/jobs/slack-verifactu-warning.ts";
export { loadDeclaracionResponsable } from "./verifactu/load-declaracion-responsable.ts";
export { sendWaitingVerifactuRecords } from "./verifactu/send-waiting-verifactu-records.ts";
export { setVerifactuScope } from "./verifactu/set-verifactu-scope.ts";
export { verifactuWarningLine } from "./verifactu/slack/verifactu-warning-line.ts";
export { startVerifactuSending } from "./verifactu/verifactu-sender.ts";
export { verifyVerifactuChains } from "./verifactu/verify-verifactu-chains.ts";
export { warnVerifactuBacklog } from "./verifactu/warn-verifactu-backlog.ts";
