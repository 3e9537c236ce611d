// The invoice e-mail (subject, text, HTML) in the client's language.
import { formatRfReference, rfReference } from "../domain/sepa-transfer.ts";
import type { InvoiceLanguage } from "../pdf/i18n.ts";

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
