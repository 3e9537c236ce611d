// Default VAT treatment of a service from the seller's and buyer's countries (Directive 2006/112/EC
// arts. 44, 45, 196). Rates are data; a line may always override the default.
import type { VatCategory } from "./invoice-totals.ts";

export const EU_COUNTRIES: ReadonlySet<string> = new Set(
  "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split(" "),
);

/** Standard rates in basis points (2025); versioned with the law, overridable per line. */
export const STANDARD_VAT_RATE_BP: Readonly<Record<string, number>> = {
  FR: 2000,
  ES: 2100,
  DE: 1900,
  IT: 2200,
  PT: 2300,
  BE: 2100,
  NL: 2100,
  IE: 2300,
  LU: 1700,
};

export type VatTreatment = { category: VatCategory; rateBp: number; exemptionReason?: string };

// The mention the law asks for, in the invoice's language: "Autoliquidation" (art. 242 nonies A,
// annexe II du CGI), "Inversión del sujeto pasivo" (art. 6 RD 1619/2012).
const EXEMPTION_REASONS = {
  fr: {
    AE: "Autoliquidation — art. 196 de la directive 2006/112/CE",
    O: "Hors du champ de la TVA — art. 44 de la directive 2006/112/CE",
  },
  es: {
    AE: "Inversión del sujeto pasivo — art. 196 Directiva 2006/112/CE",
    O: "Operación no sujeta a IVA — art. 44 Directiva 2006/112/CE",
  },
  en: {
    AE: "Reverse charge - art. 196 Directive 2006/112/EC",
    O: "Not subject to VAT - art. 44 Directive 2006/112/EC",
  },
} as const;

export function defaultVatTreatment(
  sellerCountry: string,
  buyerCountry: string,
  buyerProfile: "public" | "business" | "individual",
  language: keyof typeof EXEMPTION_REASONS = "en",
): VatTreatment | undefined {
  const seller = sellerCountry.toUpperCase();
  const buyer = buyerCountry.toUpperCase();
  const standard = STANDARD_VAT_RATE_BP[seller];
  if (buyerProfile !== "individual" && seller !== buyer && EU_COUNTRIES.has(seller)) {
    if (EU_COUNTRIES.has(buyer)) {
      return {
        category: "AE",
        rateBp: 0,
        exemptionReason: EXEMPTION_REASONS[language].AE,
      };
    }
    return {
      category: "O",
      rateBp: 0,
      exemptionReason: EXEMPTION_REASONS[language].O,
    };
  }
  return standard === undefined ? undefined : { category: "S", rateBp: standard };
}
