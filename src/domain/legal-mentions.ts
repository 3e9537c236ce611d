// Which legal mentions an invoice must print, per seller country, buyer profile and document
// kind, in the client's language (FR C. com. L441-9 / CGI 242 nonies A; ES RD 1619/2012 art. 6).
import type { VatBreakdownRow, VatCategory } from "./invoice-totals.ts";

export type MentionLanguage = "es" | "fr" | "en";

export type MentionKey =
  | "late_penalty"
  | "recovery_indemnity"
  | "early_payment_discount"
  | "withholding"
  | "vat_exemption"
  | "reverse_charge"
  | "credit_note"
  | "vat_in_euros"
  | "operation_nature"
  | "vat_on_debits";

export type LegalMention = { key: MentionKey; text: string };

export type MentionInput = {
  sellerCountry: string;
  buyerProfile: "public" | "business" | "individual";
  language: MentionLanguage;
  kind: "invoice" | "credit_note" | "interest_note" | "deposit";
  vatBreakdown: readonly Pick<VatBreakdownRow, "category" | "rateBp" | "exemptionReason">[];
  withholdingRateBp: number;
  /** Statutory or contractual late-penalty rate in force, if known (basis points). */
  latePenaltyRateBp?: number | undefined;
  /** Number of the invoice a credit note corrects. */
  correctsNumber?: string | undefined;
  correctionReason?: string | undefined;
  /** French sellers: the seller opted to pay VAT on debits (CGI art. 269-2-c). */
  vatOnDebits?: boolean | undefined;
};

export const RECOVERY_INDEMNITY_EUR = 40;

/** Percent with up to two decimals, in the language's style: 1525 → "15,25 %". */
export function formatRateBp(rateBp: number, language: MentionLanguage): string {
  const whole = Math.trunc(rateBp / 100);
  const cents = Math.abs(rateBp % 100);
  const decimals =
    cents === 0 ? "" : `${language === "en" ? "." : ","}${String(cents).padStart(2, "0").replace(/0$/, "")}`;
  return language === "en" ? `${whole}${decimals}%` : `${whole}${decimals} %`;
}

const DEFAULT_EXEMPTION: Record<MentionLanguage, Partial<Record<VatCategory, string>>> = {
  fr: {
    E: "Exonération de TVA",
    AE: "Autoliquidation",
    K: "Exonération de TVA, article 262 ter I du CGI",
    G: "Exonération de TVA, article 262 I du CGI",
    O: "Opération hors du champ de la TVA",
    Z: "TVA à taux zéro",
  },
  es: {
    E: "Operación exenta de IVA",
    AE: "Inversión del sujeto pasivo",
    K: "Entrega intracomunitaria exenta, art. 25 Ley 37/1992",
    G: "Exportación exenta, art. 21 Ley 37/1992",
    O: "Operación no sujeta a IVA",
    Z: "IVA al tipo cero",
  },
  en: {
    E: "Exempt from VAT",
    AE: "Reverse charge",
    K: "Intra-community supply exempt from VAT",
    G: "Export outside the EU exempt from VAT",
    O: "Not subject to VAT",
    Z: "Zero-rated",
  },
};

const TEXT = {
  late_penalty: {
    fr: (margin: number, rate?: string) =>
      `Pénalités de retard exigibles sans rappel le jour suivant la date d'échéance : taux de la BCE à son opération de refinancement la plus récente majoré de ${margin} points${rate ? ` (soit ${rate})` : ""}.`,
    es: (margin: number, rate?: string) =>
      `Intereses de demora exigibles sin requerimiento desde el día siguiente al vencimiento: tipo del BCE más ${margin} puntos${rate ? ` (${rate})` : ""}.`,
    en: (margin: number, rate?: string) =>
      `Late payment interest is due from the day after the due date without reminder: ECB refinancing rate plus ${margin} points${rate ? ` (${rate})` : ""}.`,
  },
  recovery_indemnity: {
    fr: "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (art. L441-10 et D441-5 du Code de commerce).",
    es: "Indemnización por costes de cobro en caso de demora: 40 € (art. 8 Ley 3/2004).",
    en: "Fixed compensation for recovery costs in case of late payment: EUR 40 (Directive 2011/7/EU).",
  },
  public_late_interest: {
    fr: (rate?: string) =>
      `Intérêts moratoires dus de plein droit dès le jour suivant la date d'échéance : taux de la BCE à ses opérations principales de refinancement en vigueur au premier jour du semestre, majoré de 8 points${rate ? ` (soit ${rate})` : ""} (art. L2192-13 et R2192-31 du Code de la commande publique).`,
    es: (rate?: string) =>
      `Intereses de demora de pleno derecho desde el día siguiente al vencimiento: tipo del BCE vigente el primer día del semestre más 8 puntos${rate ? ` (${rate})` : ""} (arts. L2192-13 y R2192-31 del Código de contratación pública francés).`,
    en: (rate?: string) =>
      `Late payment interest is due as of right from the day after the due date: ECB main refinancing rate in force on the first day of the half-year plus 8 points${rate ? ` (${rate})` : ""} (French public procurement code, art. L2192-13 and R2192-31).`,
  },
  public_recovery_indemnity: {
    fr: "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (art. L2192-13 et D2192-35 du Code de la commande publique).",
    es: "Indemnización por costes de cobro en caso de demora: 40 € (arts. L2192-13 y D2192-35 del Código de contratación pública francés).",
    en: "Fixed compensation for recovery costs in case of late payment: EUR 40 (French public procurement code, art. L2192-13 and D2192-35).",
  },
  early_payment_discount: {
    fr: "Escompte pour paiement anticipé : néant.",
    es: "Sin descuento por pronto pago.",
    en: "No discount for early payment.",
  },
  withholding: {
    fr: (rate: string) => `Retenue à la source IRPF de ${rate} sur la base imposable.`,
    es: (rate: string) => `Retención IRPF del ${rate} sobre la base imponible.`,
    en: (rate: string) => `Spanish IRPF withholding of ${rate} on the taxable base.`,
  },
  credit_note: {
    fr: (n: string, reason?: string) =>
      `Avoir rectifiant la facture n° ${n}${reason ? ` (${reason})` : ""}. Net à déduire.`,
    es: (n: string, reason?: string) =>
      `Factura rectificativa de la factura n.º ${n}${reason ? ` (${reason})` : ""}.`,
    en: (n: string, reason?: string) =>
      `Credit note correcting invoice no. ${n}${reason ? ` (${reason})` : ""}.`,
  },
  operation_nature: {
    fr: "Nature de l'opération : prestations de services.",
    es: "Naturaleza de la operación: prestación de servicios.",
    en: "Nature of the operation: supply of services.",
  },
  vat_on_debits: {
    fr: "Option pour le paiement de la taxe d'après les débits.",
    es: "Opción por el pago del impuesto según los débitos (Francia).",
    en: "Option for payment of VAT on debits (France).",
  },
} as const;

/**
 * The mentions France's e-invoicing reform adds for a French seller (Ord. 2021-1190): the nature
 * of the operation (Cobro bills services) and the option for VAT on debits when taken. The
 * e-invoice carries them as notes too.
 */
export function frenchReformMentions(input: {
  sellerCountry: string;
  buyerProfile: "public" | "business" | "individual";
  language: MentionLanguage;
  vatOnDebits?: boolean | undefined;
}): LegalMention[] {
  if (input.sellerCountry.toUpperCase() !== "FR" || input.buyerProfile === "individual") return [];
  const mentions: LegalMention[] = [{ key: "operation_nature", text: TEXT.operation_nature[input.language] }];
  if (input.vatOnDebits) mentions.push({ key: "vat_on_debits", text: TEXT.vat_on_debits[input.language] });
  return mentions;
}

/**
 * The mentions for this document. France B2B/B2G: late-penalty rate, EUR 40 indemnity and
 * discount terms are mandatory (fine up to EUR 375k if missing). Spain: late interest applies by
 * law and needs no mention; exemptions and IRPF must be stated. Elsewhere in the EU we print the
 * Directive's terms for business clients, since they apply anyway.
 */
export function selectLegalMentions(input: MentionInput): LegalMention[] {
  const { language } = input;
  const mentions: LegalMention[] = [];
  const isBusiness = input.buyerProfile !== "individual";
  const country = input.sellerCountry.toUpperCase();

  if (input.kind === "credit_note" && input.correctsNumber) {
    mentions.push({
      key: "credit_note",
      text: TEXT.credit_note[language](input.correctsNumber, input.correctionReason),
    });
  }

  const seen = new Set<string>();
  for (const row of input.vatBreakdown) {
    if (row.rateBp !== 0) continue;
    const text = row.exemptionReason?.trim() || DEFAULT_EXEMPTION[language][row.category] || "";
    if (!text || seen.has(text)) continue;
    seen.add(text);
    mentions.push({ key: row.category === "AE" ? "reverse_charge" : "vat_exemption", text });
  }

  if (input.withholdingRateBp > 0) {
    mentions.push({
      key: "withholding",
      text: TEXT.withholding[language](formatRateBp(input.withholdingRateBp, language)),
    });
  }

  if (isBusiness && input.kind !== "credit_note" && country !== "ES") {
    const rate =
      input.latePenaltyRateBp === undefined ? undefined : formatRateBp(input.latePenaltyRateBp, language);
    if (country === "FR" && input.buyerProfile === "public") {
      // French public buyers: the public procurement code's ECB + 8, not the commercial code's + 10.
      mentions.push({ key: "late_penalty", text: TEXT.public_late_interest[language](rate) });
      mentions.push({ key: "recovery_indemnity", text: TEXT.public_recovery_indemnity[language] });
    } else {
      // FR: ECB + 10 (L441-10); elsewhere the Directive's minimum, ECB + 8.
      const margin = country === "FR" ? 10 : 8;
      mentions.push({ key: "late_penalty", text: TEXT.late_penalty[language](margin, rate) });
      mentions.push({ key: "recovery_indemnity", text: TEXT.recovery_indemnity[language] });
    }
    if (country === "FR") {
      mentions.push({ key: "early_payment_discount", text: TEXT.early_payment_discount[language] });
    }
  }
  mentions.push(...frenchReformMentions(input));
  return mentions;
}
