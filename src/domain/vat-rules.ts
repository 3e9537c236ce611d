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

export function defaultVatTreatment(
  sellerCountry: string,
  buyerCountry: string,
  buyerProfile: "public" | "business" | "individual",
): VatTreatment | undefined {
  const seller = sellerCountry.toUpperCase();
  const buyer = buyerCountry.toUpperCase();
  const standard = STANDARD_VAT_RATE_BP[seller];
  if (buyerProfile !== "individual" && seller !== buyer && EU_COUNTRIES.has(seller)) {
    if (EU_COUNTRIES.has(buyer)) {
      return {
        category: "AE",
        rateBp: 0,
        exemptionReason: "Reverse charge - art. 196 Directive 2006/112/EC",
      };
    }
    return {
      category: "O",
      rateBp: 0,
      exemptionReason: "Not subject to VAT - art. 44 Directive 2006/112/EC",
    };
  }
  return standard === undefined ? undefined : { category: "S", rateBp: standard };
}
