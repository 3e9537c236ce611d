// The invoice e-mail (subject, text, HTML) in the client's language.
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
    subject: (m: InvoiceEmailModel) =>
      `${m.kind === "credit_note" ? "Avoir" : "Facture"} ${m.number} — ${m.sellerName}`,
    hello: "Bonjour,",
    body: (m: InvoiceEmailModel) =>
      m.kind === "credit_note"
        ? `Veuillez trouver ci-joint l'avoir ${m.number} d'un montant de ${m.amountDue}.`
        : `Veuillez trouver ci-joint la facture ${m.number} d'un montant de ${m.amountDue}${m.dueDate ? `, à régler avant le ${m.dueDate}` : ""}.`,
    receipt: "Merci de confirmer sa bonne réception en un clic :",
    button: "J'ai bien reçu cette facture",
    pay: "Payer en ligne :",
    bye: "Cordialement,",
  },
  es: {
    subject: (m: InvoiceEmailModel) =>
      `${m.kind === "credit_note" ? "Factura rectificativa" : "Factura"} ${m.number} — ${m.sellerName}`,
    hello: "Hola:",
    body: (m: InvoiceEmailModel) =>
      m.kind === "credit_note"
        ? `Adjuntamos la factura rectificativa ${m.number} por importe de ${m.amountDue}.`
        : `Adjuntamos la factura ${m.number} por importe de ${m.amountDue}${m.dueDate ? `, con vencimiento el ${m.dueDate}` : ""}.`,
    receipt: "Le rogamos que confirme su recepción con un clic:",
    button: "He recibido esta factura",
    pay: "Pagar en línea:",
    bye: "Un saludo,",
  },
  en: {
    subject: (m: InvoiceEmailModel) =>
      `${m.kind === "credit_note" ? "Credit note" : "Invoice"} ${m.number} from ${m.sellerName}`,
    hello: "Hello,",
    body: (m: InvoiceEmailModel) =>
      m.kind === "credit_note"
        ? `Please find attached credit note ${m.number} for ${m.amountDue}.`
        : `Please find attached invoice ${m.number} for ${m.amountDue}${m.dueDate ? `, due on ${m.dueDate}` : ""}.`,
    receipt: "Please confirm you received it with one click:",
    button: "I received this invoice",
    pay: "Pay online:",
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
  const text = [
    t.hello,
    "",
    t.body(model),
    "",
    `${t.receipt} ${model.receiptUrl}`,
    ...(model.paymentLink ? ["", `${t.pay} ${model.paymentLink}`] : []),
    "",
    t.bye,
    model.sellerName,
  ].join("\n");
  const html = `<!doctype html><html lang="${model.language}"><body style="font-family:sans-serif;line-height:1.5">
<p>${escapeHtml(t.hello)}</p>
<p>${escapeHtml(t.body(model))}</p>
<p>${escapeHtml(t.receipt)}</p>
<p><a href="${escapeHtml(model.receiptUrl)}" style="display:inline-block;padding:10px 16px;background:#1f6feb;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(t.button)}</a></p>
${model.paymentLink ? `<p>${escapeHtml(t.pay)} <a href="${escapeHtml(model.paymentLink)}">${escapeHtml(model.paymentLink)}</a></p>` : ""}
<p>${escapeHtml(t.bye)}<br>${escapeHtml(model.sellerName)}</p>
</body></html>`;
  return { subject: t.subject(model), text, html };
}
