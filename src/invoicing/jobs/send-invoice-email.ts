// The `email` delivery handler: re-checks the invoice, renders the PDF (a Factur-X, and a UBL file
// beside it, as the client chose), sends them to the client's billing contacts, records when, and notifies the invoice's
// Slack thread.
import { and, eq, isNull } from "drizzle-orm";
import { contextFor, type ServiceDeps } from "../../context.ts";
import { clients, invoices } from "../../db/schema/index.ts";
import type { DeliveryHandler, Mailer } from "../../delivery/index.ts";
import { readPayload } from "../../delivery/index.ts";
import { systemActor } from "../../domain/actor.ts";
import type { EInvoiceAttachments } from "../../domain/client-details.ts";
import { DomainError } from "../../domain/errors.ts";
import { formatMoney } from "../../domain/money.ts";
import { formatDate, LOCALES } from "../../pdf/i18n.ts";
import type { PdfRenderer } from "../../pdf/render-in-thread.ts";
import { composeInvoiceEmail } from "../invoice-email.ts";
import { notifyInvoiceEvent } from "../notify-invoice-event.ts";
import { type InvoiceDocument, renderInvoiceDocument, ublAttachment } from "../render-invoice-document.ts";
import { INVOICE_EMAIL_PAYLOAD, InvoiceEmailPayload } from "../send-invoice.ts";
import { payUrlOf, type StripePayments } from "../stripe-client.ts";

export type InvoiceEmailDeps = ServiceDeps & {
  mailer: Mailer;
  publicUrl: string;
  mailFrom: string;
  /** Set when Stripe is: the e-mail then carries the invoice's pay link. */
  payments?: StripePayments | null | undefined;
  /** Where PDFs render (the worker pool in `serve`); this thread when absent. */
  renderPdf?: PdfRenderer;
};

/**
 * The client's choice of e-invoice (`einvoice_attachments`): whether the PDF is a Factur-X and
 * whether a UBL file goes with it. Unset: a French seller's PDF is a Factur-X (as everywhere), and
 * businesses and public bodies get the UBL to book the invoice without retyping it.
 */
function attachmentsWanted(choice: EInvoiceAttachments | null, profile: string | undefined) {
  if (choice === null) return { facturX: undefined, ubl: profile !== "individual" };
  return { facturX: choice !== "ubl", ubl: choice !== "facturx" };
}

async function clientChoice(deps: ServiceDeps, workspaceId: string, invoiceId: string) {
  const [row] = await deps.db
    .select({ choice: clients.einvoiceAttachments, profile: clients.profile })
    .from(invoices)
    .innerJoin(clients, eq(clients.id, invoices.clientId))
    .where(and(eq(invoices.workspaceId, workspaceId), eq(invoices.id, invoiceId)));
  return attachmentsWanted(row?.choice ?? null, row?.profile);
}

function ublFor(document: InvoiceDocument, wanted: boolean) {
  if (!wanted) return [];
  const ubl = ublAttachment(document);
  return ubl
    ? [{ filename: ubl.filename, contentType: "application/xml", content: Buffer.from(ubl.xml) }]
    : [];
}

export function sendInvoiceEmailHandler(deps: InvoiceEmailDeps): DeliveryHandler {
  return async (delivery) => {
    const payload = readPayload(delivery, InvoiceEmailPayload);
    if (payload.type !== INVOICE_EMAIL_PAYLOAD || !payload.invoiceId || !payload.to?.length) {
      throw new DomainError("email.payload", `delivery ${delivery.id} is not an invoice e-mail`);
    }
    const wanted = await clientChoice(deps, delivery.workspaceId, payload.invoiceId);
    const ctx = { ...deps, ...contextFor(deps, delivery.workspaceId, systemActor("delivery")) };
    const document = await renderInvoiceDocument(ctx, {
      invoiceId: payload.invoiceId,
      facturX: wanted.facturX,
    });
    const { invoice, pdf, filename } = document;
    if (invoice.status === "void" || !invoice.receiptToken || !invoice.seller || !invoice.buyer) {
      throw new DomainError("email.not_sendable", `invoice ${invoice.id} cannot be e-mailed`, {
        userMessage: `Invoice ${invoice.number} can no longer be e-mailed (${invoice.status}).`,
      });
    }
    const language = invoice.buyer.language;
    const email = composeInvoiceEmail({
      language,
      kind: invoice.kind,
      number: invoice.number ?? "",
      sellerName: invoice.seller.tradeName ?? invoice.seller.legalName,
      amountDue: formatMoney(
        { amountMinor: invoice.totalMinor - invoice.withholdingMinor, currency: invoice.currency },
        LOCALES[language],
      ),
      dueDate: invoice.kind === "credit_note" || !invoice.dueDate ? null : formatDate(invoice.dueDate),
      receiptUrl: `${deps.publicUrl}/r/${invoice.receiptToken}`,
      paymentLink:
        invoice.kind === "credit_note"
          ? undefined
          : deps.payments
            ? payUrlOf(deps.payments.publicUrl, invoice.receiptToken)
            : invoice.seller.paymentLink,
    });
    const result = await deps.mailer.send({
      from: { email: deps.mailFrom, name: invoice.seller.tradeName ?? invoice.seller.legalName },
      ...(invoice.seller.email ? { replyTo: invoice.seller.email } : {}),
      to: payload.to,
      ...email,
      attachments: [
        { filename, contentType: "application/pdf", content: pdf },
        ...ublFor(document, wanted.ubl),
      ],
      categories: ["invoice", invoice.kind],
      customArgs: { invoice_id: invoice.id, workspace_id: invoice.workspaceId, delivery_id: delivery.id },
    });
    const notice = await deps.db.transaction(async (tx) => {
      await tx
        .update(invoices)
        .set({ sentAt: deps.now() })
        .where(and(eq(invoices.id, invoice.id), isNull(invoices.sentAt)));
      return notifyInvoiceEvent(tx, {
        workspaceId: invoice.workspaceId,
        invoiceId: invoice.id,
        event: "emailed",
        occurrence: delivery.id,
        detail: { to: payload.to, provider: result.provider },
      });
    });
    if (notice) await deps.enqueue([notice]);
    return {
      provider: result.provider,
      messageId: result.messageId,
      ...(result.path ? { path: result.path } : {}),
    };
  };
}
