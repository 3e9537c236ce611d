// Reminder e-mails in Spanish, French and English, one text per template key (its tone is in the name).
import { formatDate } from "./calendar.ts";
import type { InterestLaw } from "./late-interest.ts";

export type ReminderLanguage = "es" | "fr" | "en";
export type ReminderTemplateKey = "due_soon" | "overdue_courteous" | "overdue_firm" | "formal_notice";

export type ReminderTemplateModel = {
  number: string;
  clientName: string;
  sellerName: string;
  /** Already formatted in the client's locale. */
  openText: string;
  dueDate: string;
  /** Days since the due date (0 or less: not yet due): past dates are written in the past tense. */
  daysPastDue: number;
  /** Whether the invoice PDF goes with the e-mail (imported receivables may have none). */
  attached?: boolean;
  paymentDetails?: string;
  payUrl?: string | undefined;
  paidAlreadyUrl?: string | undefined;
  /** Formal notice only: formatted interest, compensation and the date they run to. */
  interestText?: string;
  compensationText?: string;
  interestAsOf?: string;
  interestProblem?: string;
  /** The law the formal notice's claims rest on (the seller's, not the reader's language). */
  interestLaw?: InterestLaw;
};

export type RenderedReminder = { subject: string; text: string };

type Texts = Record<ReminderTemplateKey, (m: ReminderTemplateModel) => RenderedReminder>;

const pay = (m: ReminderTemplateModel, label: string) =>
  m.paymentDetails ? `\n\n${label}\n${m.paymentDetails}` : "";

/** The pay link (Stripe set up) and the "Paid already" link that holds reminders while money is on its way. */
const links = (m: ReminderTemplateModel, payLabel: string, paidLabel: string) =>
  `${m.payUrl ? `\n\n${payLabel} ${m.payUrl}` : ""}${m.paidAlreadyUrl ? `\n\n${paidLabel} ${m.paidAlreadyUrl}` : ""}`;

const isPast = (m: ReminderTemplateModel) => m.daysPastDue > 0;

/** French counts 0 and 1 in the singular: "1 jour", "45 jours"; English and Spanish only 1. */
const frenchDays = (days: number) => `${days} ${days <= 1 ? "jour" : "jours"}`;
const englishDays = (days: number) => `${days} ${days === 1 ? "day" : "days"}`;
const spanishDays = (days: number) => `${days} ${days === 1 ? "día" : "días"}`;

const en: Texts = {
  due_soon: (m) => ({
    subject: `Invoice ${m.number} ${isPast(m) ? "was" : "is"} due on ${formatDate(m.dueDate)}`,
    text: `Dear ${m.clientName},\n\nA friendly note that invoice ${m.number} (${m.openText}) ${isPast(m) ? "was" : "is"} due on ${formatDate(m.dueDate)}.${m.attached ? " The invoice is attached again for convenience." : ""}${pay(m, "Payment details:")}${links(m, "Pay online:", "Already paid? Tell us in one click:")}\n\nThank you,\n${m.sellerName}`,
  }),
  overdue_courteous: (m) => ({
    subject: `Reminder: invoice ${m.number} is overdue`,
    text: `Dear ${m.clientName},\n\nOur records show that invoice ${m.number}, which was due on ${formatDate(m.dueDate)}, still has ${m.openText} outstanding. If you have already paid, please ignore this message; otherwise we would be grateful for payment at your earliest convenience.${pay(m, "Payment details:")}${links(m, "Pay online:", "Already paid? Tell us in one click:")}\n\nKind regards,\n${m.sellerName}`,
  }),
  overdue_firm: (m) => ({
    subject: `Second reminder: invoice ${m.number} is ${englishDays(m.daysPastDue)} overdue`,
    text: `Dear ${m.clientName},\n\nInvoice ${m.number} was due on ${formatDate(m.dueDate)} and ${m.openText} remains unpaid ${englishDays(m.daysPastDue)} later. Please arrange payment within 7 days or tell us if anything prevents it.${pay(m, "Payment details:")}${links(m, "Pay online:", "Already paid? Tell us in one click:")}\n\nRegards,\n${m.sellerName}`,
  }),
  formal_notice: (m) => ({
    subject: `Formal notice: payment of invoice ${m.number}`,
    text: `Dear ${m.clientName},\n\nDespite our previous reminders, invoice ${m.number}, which was due on ${formatDate(m.dueDate)}, remains unpaid for ${m.openText}. We hereby formally request payment within 8 days of this notice.\n\n${formalClaims(m, "en")}${pay(m, "Payment details:")}${links(m, "Pay online:", "Already paid? Tell us in one click:")}\n\nWithout payment within this period we will take the measures available to us to recover the debt.\n\n${m.sellerName}`,
  }),
};

const fr: Texts = {
  due_soon: (m) => ({
    subject: isPast(m)
      ? `Facture ${m.number} : était due le ${formatDate(m.dueDate)}`
      : `Facture ${m.number} : échéance le ${formatDate(m.dueDate)}`,
    text: `Bonjour,\n\nPour rappel, la facture ${m.number} (${m.openText}) ${isPast(m) ? "était due le" : "arrive à échéance le"} ${formatDate(m.dueDate)}.${m.attached ? " Vous la trouverez de nouveau en pièce jointe." : ""}${pay(m, "Coordonnées de paiement :")}${links(m, "Payer en ligne :", "Déjà réglé ? Dites-le-nous en un clic :")}\n\nCordialement,\n${m.sellerName}`,
  }),
  overdue_courteous: (m) => ({
    subject: `Relance : facture ${m.number} échue`,
    text: `Bonjour,\n\nSauf erreur de notre part, la facture ${m.number}, échue le ${formatDate(m.dueDate)}, présente un solde de ${m.openText}. Si le règlement est déjà parti, merci de ne pas tenir compte de ce message ; sinon, nous vous remercions de procéder au paiement dans les meilleurs délais.${pay(m, "Coordonnées de paiement :")}${links(m, "Payer en ligne :", "Déjà réglé ? Dites-le-nous en un clic :")}\n\nCordialement,\n${m.sellerName}`,
  }),
  overdue_firm: (m) => ({
    subject: `Deuxième relance : facture ${m.number} en retard de ${frenchDays(m.daysPastDue)}`,
    text: `Bonjour,\n\nLa facture ${m.number}, échue le ${formatDate(m.dueDate)}, reste impayée à hauteur de ${m.openText} après ${frenchDays(m.daysPastDue)}. Merci de procéder au règlement sous 7 jours ou de nous indiquer ce qui l'empêche.${pay(m, "Coordonnées de paiement :")}${links(m, "Payer en ligne :", "Déjà réglé ? Dites-le-nous en un clic :")}\n\nCordialement,\n${m.sellerName}`,
  }),
  formal_notice: (m) => ({
    subject: `Mise en demeure : paiement de la facture ${m.number}`,
    text: `Madame, Monsieur,\n\nMalgré nos relances, la facture ${m.number}, échue le ${formatDate(m.dueDate)}, demeure impayée à hauteur de ${m.openText}. Par la présente, nous vous mettons en demeure de la régler sous 8 jours.\n\n${formalClaims(m, "fr")}${pay(m, "Coordonnées de paiement :")}${links(m, "Payer en ligne :", "Déjà réglé ? Dites-le-nous en un clic :")}\n\nÀ défaut de paiement dans ce délai, nous engagerons les démarches de recouvrement à notre disposition.\n\n${m.sellerName}`,
  }),
};

const es: Texts = {
  due_soon: (m) => ({
    subject: `Factura ${m.number}: ${isPast(m) ? "venció" : "vence"} el ${formatDate(m.dueDate)}`,
    text: `Estimado cliente:\n\nLe recordamos que la factura ${m.number} (${m.openText}) ${isPast(m) ? "venció" : "vence"} el ${formatDate(m.dueDate)}.${m.attached ? " Se la adjuntamos de nuevo." : ""}${pay(m, "Datos de pago:")}${links(m, "Pagar en línea:", "¿Ya ha pagado? Indíquenoslo con un clic:")}\n\nUn saludo,\n${m.sellerName}`,
  }),
  overdue_courteous: (m) => ({
    subject: `Recordatorio: factura ${m.number} vencida`,
    text: `Estimado cliente:\n\nSegún nuestros registros, la factura ${m.number}, vencida el ${formatDate(m.dueDate)}, tiene pendientes ${m.openText}. Si ya la ha pagado, ignore este mensaje; en caso contrario, le agradecemos que proceda al pago lo antes posible.${pay(m, "Datos de pago:")}${links(m, "Pagar en línea:", "¿Ya ha pagado? Indíquenoslo con un clic:")}\n\nUn saludo,\n${m.sellerName}`,
  }),
  overdue_firm: (m) => ({
    subject: `Segundo aviso: factura ${m.number} con ${spanishDays(m.daysPastDue)} de retraso`,
    text: `Estimado cliente:\n\nLa factura ${m.number} venció el ${formatDate(m.dueDate)} y siguen pendientes ${m.openText} ${spanishDays(m.daysPastDue)} después. Le rogamos que realice el pago en 7 días o nos indique qué lo impide.${pay(m, "Datos de pago:")}${links(m, "Pagar en línea:", "¿Ya ha pagado? Indíquenoslo con un clic:")}\n\nUn saludo,\n${m.sellerName}`,
  }),
  formal_notice: (m) => ({
    subject: `Requerimiento formal de pago: factura ${m.number}`,
    text: `Estimado cliente:\n\nA pesar de nuestros recordatorios, la factura ${m.number}, vencida el ${formatDate(m.dueDate)}, sigue impagada por ${m.openText}. Por la presente le requerimos formalmente su pago en un plazo de 8 días.\n\n${formalClaims(m, "es")}${pay(m, "Datos de pago:")}${links(m, "Pagar en línea:", "¿Ya ha pagado? Indíquenoslo con un clic:")}\n\nDe no recibir el pago en dicho plazo, emprenderemos las acciones de recobro a nuestro alcance.\n\n${m.sellerName}`,
  }),
};

/** When the law is not given: the one a reader of that language most likely falls under. */
const LAW_OF_LANGUAGE: Record<ReminderLanguage, InterestLaw> = { fr: "FR", es: "ES", en: "EU" };

type Claim = (interest: string, asOf: string, compensation: string | undefined) => string;

const CLAIMS: Record<ReminderLanguage, Record<InterestLaw, Claim>> = {
  fr: {
    FR: (i, d, c) =>
      `Conformément à l'article L441-10 du Code de commerce, des pénalités de retard de ${i} sont dues au ${d}${c ? `, ainsi que l'indemnité forfaitaire pour frais de recouvrement de ${c} (art. D441-5)` : ""}.`,
    "FR-public": (i, d, c) =>
      `Conformément aux articles L2192-13 et R2192-31 du Code de la commande publique, des intérêts moratoires de ${i} sont dus au ${d}${c ? `, ainsi que l'indemnité forfaitaire pour frais de recouvrement de ${c} (art. D2192-35)` : ""}.`,
    ES: (i, d, c) =>
      `Conformément à la loi espagnole 3/2004, des intérêts de retard de ${i} sont dus au ${d}${c ? `, ainsi que l'indemnité pour frais de recouvrement de ${c} (art. 8)` : ""}.`,
    EU: (i, d, c) =>
      `Conformément à la directive 2011/7/UE concernant la lutte contre le retard de paiement, des intérêts de retard de ${i} sont dus au ${d}${c ? `, ainsi que l'indemnité forfaitaire pour frais de recouvrement de ${c}` : ""}.`,
  },
  es: {
    FR: (i, d, c) =>
      `Conforme al artículo L441-10 del Código de comercio francés, se devengan intereses de demora de ${i} a ${d}${c ? `, más la indemnización por costes de cobro de ${c} (art. D441-5)` : ""}.`,
    "FR-public": (i, d, c) =>
      `Conforme a los artículos L2192-13 y R2192-31 del Código de contratación pública francés, se devengan intereses de demora de ${i} a ${d}${c ? `, más la indemnización por costes de cobro de ${c} (art. D2192-35)` : ""}.`,
    ES: (i, d, c) =>
      `Conforme a la Ley 3/2004, se devengan intereses de demora de ${i} a ${d}${c ? `, más la indemnización por costes de cobro de ${c} (art. 8)` : ""}.`,
    EU: (i, d, c) =>
      `Conforme a la Directiva 2011/7/UE, se devengan intereses de demora de ${i} a ${d}${c ? `, más la indemnización por costes de cobro de ${c}` : ""}.`,
  },
  en: {
    FR: (i, d, c) =>
      `Under article L441-10 of the French Commercial Code, late payment penalties of ${i} have accrued as of ${d}${c ? `, plus fixed compensation for recovery costs of ${c} (art. D441-5)` : ""}.`,
    "FR-public": (i, d, c) =>
      `Under articles L2192-13 and R2192-31 of the French public procurement code, late payment interest of ${i} has accrued as of ${d}${c ? `, plus fixed compensation for recovery costs of ${c} (art. D2192-35)` : ""}.`,
    ES: (i, d, c) =>
      `Under Spanish Law 3/2004, late payment interest of ${i} has accrued as of ${d}${c ? `, plus compensation for recovery costs of ${c} (art. 8)` : ""}.`,
    EU: (i, d, c) =>
      `Under the Late Payment Directive (2011/7/EU), statutory late interest of ${i} has accrued as of ${d}${c ? `, plus fixed compensation for recovery costs of ${c}` : ""}.`,
  },
};

function formalClaims(m: ReminderTemplateModel, language: ReminderLanguage): string {
  if (m.interestProblem || !m.interestText) return "";
  const law = m.interestLaw ?? LAW_OF_LANGUAGE[language];
  const asOf = m.interestAsOf ? formatDate(m.interestAsOf) : "";
  return CLAIMS[language][law](m.interestText, asOf, m.compensationText);
}

const TEXTS: Record<ReminderLanguage, Texts> = { en, fr, es };

export const REMINDER_TEMPLATE_KEYS = Object.keys(en) as ReminderTemplateKey[];

function isReminderTemplate(key: string): key is ReminderTemplateKey {
  return (REMINDER_TEMPLATE_KEYS as string[]).includes(key);
}

/** Unknown template keys fall back by tone, so a custom policy never blocks a reminder. */
export function renderReminderEmail(
  template: string,
  tone: "courteous" | "firm" | "formal",
  language: ReminderLanguage,
  model: ReminderTemplateModel,
): RenderedReminder {
  const key: ReminderTemplateKey = isReminderTemplate(template)
    ? template
    : tone === "formal"
      ? "formal_notice"
      : tone === "firm"
        ? "overdue_firm"
        : "overdue_courteous";
  return (TEXTS[language] ?? en)[key](model);
}
