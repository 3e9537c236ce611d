// The `email` delivery handler: re-checks the invoice, renders the PDF (a Factur-X, and a UBL file
// beside it, as the client chose), sends them to the client's billing contacts, records when, and notifies the invoice's
// Slack thread.
import { and, eq, isNull } from "drizzle-orm";
import { contextFor, type ServiceDeps } from "../../context.ts";
import { clients, invoices } from "../../db/schema/index.ts";
import type { DeliveryHandler, Mailer } from "../../delivery/index.ts";
import { readPayload } from "../../delivery/index.ts";
import { formatDate } from "../../domain/calendar.ts";
import type { EInvoiceAttachments } from "../../domain/client-details.ts";
import { DomainError } from "../../domain/errors.ts";
import { formatMoney } from "../../domain/money.ts";
import { documentFilename } from "../../domain/numbering.ts";
import { payUrlOf } from "../../domain/payment-links.ts";
import { systemActor } from "../../domain/permissions.ts";
import { formatRfReference, rfReference } from "../../domain/sepa-transfer.ts";
import { buildUblInvoice, ublSupported } from "../../einvoice/ubl-invoice.ts";
import { type InvoiceLanguage, LOCALES } from "../../pdf/i18n.ts";
import type { PdfRenderer } from "../../pdf/render-invoice.ts";
import { type InvoiceDocument, renderInvoiceDocument } from "../render-invoice-document.ts";
import { INVOICE_EMAIL_PAYLOAD, InvoiceEmailPayload, notifyInvoiceEvent } from "../repo.ts";
import type { StripePayments } from "../stripe-client.ts";

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

// --- The invoice e-mail (subject, text, HTML) in the client's language.

export type InvoiceEmailModel = {
  language: InvoiceLanguage;
  kind: "invoice" | "credit_note" | "interest_note" | "deposit";
  number: string;
  sellerName: string;
  amountDue: string;
  dueDate: string | null;
  receiptUrl: string;
  paymentLink?: string | undefined;
};

const TEXT = {
  fr: {
    name: {
      invoice: "Facture",
      credit_note: "Avoir",
      interest_note: "Note de débit",
      deposit: "Facture d'acompte",
    },
    the: {
      invoice: "la facture",
      credit_note: "l'avoir",
      interest_note: "la note de débit (intérêts de retard)",
      deposit: "la facture d'acompte",
    },
    subject: (name: string, m: InvoiceEmailModel) => `${name} ${m.number} — ${m.sellerName}`,
    hello: "Bonjour,",
    body: (the: string, m: InvoiceEmailModel) =>
      m.kind === "credit_note"
        ? `Veuillez trouver ci-joint ${the} ${m.number} d'un montant de ${m.amountDue}.`
        : `Veuillez trouver ci-joint ${the} ${m.number} d'un montant de ${m.amountDue}${m.dueDate ? `, à régler avant le ${m.dueDate}` : ""}.`,
    receipt: "Merci de confirmer sa bonne réception en un clic :",
    button: "J'ai bien reçu ce document",
    pay: "Payer en ligne :",
    reference: "Pour un virement, indiquez la référence",
    bye: "Cordialement,",
  },
  es: {
    name: {
      invoice: "Factura",
      credit_note: "Factura rectificativa",
      interest_note: "Nota de cargo",
      deposit: "Factura de anticipo",
    },
    the: {
      invoice: "la factura",
      credit_note: "la factura rectificativa",
      interest_note: "la nota de cargo (intereses de demora)",
      deposit: "la factura de anticipo",
    },
    subject: (name: string, m: InvoiceEmailModel) => `${name} ${m.number} — ${m.sellerName}`,
    hello: "Hola:",
    body: (the: string, m: InvoiceEmailModel) =>
      m.kind === "credit_note"
        ? `Adjuntamos ${the} ${m.number} por importe de ${m.amountDue}.`
        : `Adjuntamos ${the} ${m.number} por importe de ${m.amountDue}${m.dueDate ? `, con vencimiento el ${m.dueDate}` : ""}.`,
    receipt: "Le rogamos que confirme su recepción con un clic:",
    button: "He recibido este documento",
    pay: "Pagar en línea:",
    reference: "Si paga por transferencia, indique la referencia",
    bye: "Un saludo,",
  },
  en: {
    name: {
      invoice: "Invoice",
      credit_note: "Credit note",
      interest_note: "Debit note",
      deposit: "Advance invoice",
    },
    the: {
      invoice: "invoice",
      credit_note: "credit note",
      interest_note: "debit note (late-payment interest)",
      deposit: "advance invoice",
    },
    subject: (name: string, m: InvoiceEmailModel) => `${name} ${m.number} from ${m.sellerName}`,
    hello: "Hello,",
    body: (the: string, m: InvoiceEmailModel) =>
      m.kind === "credit_note"
        ? `Please find attached ${the} ${m.number} for ${m.amountDue}.`
        : `Please find attached ${the} ${m.number} for ${m.amountDue}${m.dueDate ? `, due on ${m.dueDate}` : ""}.`,
    receipt: "Please confirm you received it with one click:",
    button: "I received this document",
    pay: "Pay online:",
    reference: "If you pay by bank transfer, please quote the reference",
    bye: "Kind regards,",
  },
} as const;

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

export function composeInvoiceEmail(model: InvoiceEmailModel): {
  subject: string;
  text: string;
  html: string;
} {
  const t = TEXT[model.language];
  const body = t.body(t.the[model.kind], model);
  const rf = model.kind === "credit_note" ? null : rfReference(model.number);
  const reference = rf ? `${t.reference} ${formatRfReference(rf)}.` : null;
  const text = [
    t.hello,
    "",
    body,
    ...(reference ? ["", reference] : []),
    "",
    `${t.receipt} ${model.receiptUrl}`,
    ...(model.paymentLink ? ["", `${t.pay} ${model.paymentLink}`] : []),
    "",
    t.bye,
    model.sellerName,
  ].join("\n");
  const html = `<!doctype html><html lang="${model.language}"><body style="font-family:sans-serif;line-height:1.5">
<p>${escapeHtml(t.hello)}</p>
<p>${escapeHtml(body)}</p>
${reference ? `<p>${escapeHtml(reference)}</p>` : ""}
<p>${escapeHtml(t.receipt)}</p>
<p><a href="${escapeHtml(model.receiptUrl)}" style="display:inline-block;padding:10px 16px;background:#1f6feb;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(t.button)}</a></p>
${model.paymentLink ? `<p>${escapeHtml(t.pay)} <a href="${escapeHtml(model.paymentLink)}">${escapeHtml(model.paymentLink)}</a></p>` : ""}
<p>${escapeHtml(t.bye)}<br>${escapeHtml(model.sellerName)}</p>
</body></html>`;
  return { subject: t.subject(t.name[model.kind], model), text, html };
}

/** The EN 16931 UBL e-invoice of a document, or null for a currency it cannot carry (3 decimals). */
function ublAttachment(document: InvoiceDocument): { filename: string; xml: string } | null {
  return ublSupported(document.invoice.currency) && document.invoice.external !== "import"
    ? {
        filename: documentFilename(document.invoice.number, "xml"),
        xml: buildUblInvoice(document.eInvoiceSource),
      }
    : null;
}
