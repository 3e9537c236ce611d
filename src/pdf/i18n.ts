// The client's language on invoices and invoice e-mails, and how their dates read. The words printed
// are in the catalogues (src/i18n/messages, keys `pdf.…`).
import { t } from "../i18n/t.ts";

export type InvoiceLanguage = "es" | "fr" | "en";

export const LOCALES: Record<InvoiceLanguage, string> = { fr: "fr-FR", es: "es-ES", en: "en-GB" };

/** "Payment terms: 30 days from invoice date", as the PDF prints it and the e-invoice carries it (BT-20). */
export function paymentTermsText(
  language: InvoiceLanguage,
  rule: "net" | "end_of_month" | null,
  days: number,
): string {
  return t(language, rule === "end_of_month" ? "pdf.payment_terms.end_of_month" : "pdf.payment_terms.net", {
    days,
  });
}
