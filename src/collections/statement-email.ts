// The statement-of-account e-mail (subject and text) in the client's language.
import type { InvoiceLanguage } from "../pdf/i18n.ts";

export type StatementEmailModel = {
  language: InvoiceLanguage;
  sellerName: string;
  asOf: string;
  /** "1 210,00 € (dont échu 605,00 €)" per currency, already formatted. */
  totals: string[];
};

const TEXT = {
  fr: {
    subject: (m: StatementEmailModel) => `Relevé de compte au ${m.asOf} — ${m.sellerName}`,
    body: (m: StatementEmailModel) =>
      m.totals.length === 0
        ? `Bonjour,\n\nAu ${m.asOf}, aucune facture n'est ouverte sur votre compte. Merci.\n\nCordialement,\n${m.sellerName}`
        : `Bonjour,\n\nVeuillez trouver ci-joint votre relevé de compte au ${m.asOf}. Montant restant dû : ${m.totals.join(" ; ")}.\n\nSi vous avez réglé entre-temps, merci et ne tenez pas compte de ce message.\n\nCordialement,\n${m.sellerName}`,
  },
  es: {
    subject: (m: StatementEmailModel) => `Extracto de cuenta a ${m.asOf} — ${m.sellerName}`,
    body: (m: StatementEmailModel) =>
      m.totals.length === 0
        ? `Buenos días:\n\nA ${m.asOf} no tiene ninguna factura pendiente. Gracias.\n\nUn saludo,\n${m.sellerName}`
        : `Buenos días:\n\nLe adjuntamos su extracto de cuenta a ${m.asOf}. Importe pendiente: ${m.totals.join("; ")}.\n\nSi ya ha pagado, gracias y no tenga en cuenta este mensaje.\n\nUn saludo,\n${m.sellerName}`,
  },
  en: {
    subject: (m: StatementEmailModel) => `Statement of account as of ${m.asOf} — ${m.sellerName}`,
    body: (m: StatementEmailModel) =>
      m.totals.length === 0
        ? `Hello,\n\nAs of ${m.asOf} no invoice is open on your account. Thank you.\n\nKind regards,\n${m.sellerName}`
        : `Hello,\n\nPlease find attached your statement of account as of ${m.asOf}. Amount due: ${m.totals.join("; ")}.\n\nIf you have paid in the meantime, thank you, and please disregard this message.\n\nKind regards,\n${m.sellerName}`,
  },
} as const;

export function composeStatementEmail(model: StatementEmailModel): { subject: string; text: string } {
  const t = TEXT[model.language];
  return { subject: t.subject(model), text: t.body(model) };
}
