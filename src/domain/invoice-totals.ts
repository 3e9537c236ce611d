// Invoice totals per EN 16931: line nets rounded once, VAT per category/rate on the document
// total rounded once (BR-CO-17), withholding (Spanish IRPF) apart, everything in minor units; and
// the VAT a service takes by default from the seller's and buyer's countries.
import { DomainError } from "./errors.ts";
import { assertMinor, divideRounded, toSafeNumber } from "./money.ts";

export const VAT_CATEGORY_CODES = ["S", "Z", "E", "AE", "K", "G", "O", "L", "M"] as const;
export type VatCategory = (typeof VAT_CATEGORY_CODES)[number];

// Categories whose rate is always 0 and which need a stated reason (BR-E-10, BR-AE-10, BR-IC-10…).
const ZERO_RATE_CATEGORIES: ReadonlySet<VatCategory> = new Set(["Z", "E", "AE", "K", "G", "O"]);

export type TotalsLine = {
  quantityMilli: number;
  unitPriceMinor: number;
  /** BT-149 in thousandths of the unit; the unit price is for this many units (default 1). */
  priceBaseQuantityMilli?: number | undefined;
  vatCategory: VatCategory;
  vatRateBp: number;
  exemptionReason?: string | null | undefined;
};

export type VatBreakdownRow = {
  category: VatCategory;
  rateBp: number;
  baseMinor: number;
  vatMinor: number;
  exemptionReason?: string;
};

export type InvoiceTotals = {
  lineNetsMinor: number[];
  subtotalMinor: number;
  vatBreakdown: VatBreakdownRow[];
  vatMinor: number;
  totalMinor: number;
  withholdingRateBp: number;
  withholdingMinor: number;
  /** What the client owes: total incl. VAT − withholding (amount due before payments). */
  collectibleMinor: number;
};

/** The totals as an invoice stores and prints them (its amount columns and VAT breakdown). */
export function storedTotals(totals: InvoiceTotals) {
  return {
    subtotalMinor: totals.subtotalMinor,
    vatMinor: totals.vatMinor,
    withholdingMinor: totals.withholdingMinor,
    withholdingRateBp: totals.withholdingRateBp,
    totalMinor: totals.totalMinor,
    vatBreakdown: totals.vatBreakdown,
  };
}

/** quantity × unit price / price base quantity (both in thousandths), rounded once. */
export function computeLineNet(
  quantityMilli: number,
  unitPriceMinor: number,
  priceBaseQuantityMilli = 1000,
): number {
  assertMinor(quantityMilli);
  assertMinor(unitPriceMinor);
  if (!Number.isSafeInteger(priceBaseQuantityMilli) || priceBaseQuantityMilli <= 0) {
    throw new DomainError("invoice.price_base", `price base quantity ${priceBaseQuantityMilli}`, {
      userMessage: "A line's price base quantity must be a positive quantity.",
    });
  }
  return toSafeNumber(
    divideRounded(BigInt(quantityMilli) * BigInt(unitPriceMinor), BigInt(priceBaseQuantityMilli)),
  );
}

export function assertVatLine(line: TotalsLine, position: number): void {
  const where = `line ${position}`;
  if (!Number.isSafeInteger(line.vatRateBp) || line.vatRateBp < 0 || line.vatRateBp > 10_000) {
    throw new DomainError("invoice.vat_rate", `${where}: VAT rate ${line.vatRateBp} bp out of range`, {
      userMessage: `Line ${position}: the VAT rate must be between 0 % and 100 %.`,
      field: `lines.${position - 1}.vatRateBp`,
    });
  }
  const reason = line.exemptionReason?.trim();
  if (ZERO_RATE_CATEGORIES.has(line.vatCategory)) {
    if (line.vatRateBp !== 0) {
      throw new DomainError("invoice.vat_category", `${where}: category ${line.vatCategory} must be 0 %`, {
        userMessage: `Line ${position}: VAT category ${line.vatCategory} is a 0 % category; set the rate to 0 or use category S.`,
        field: `lines.${position - 1}.vatCategory`,
      });
    }
    if (!reason) {
      throw new DomainError("invoice.exemption_reason", `${where}: 0 % VAT without exemption reason`, {
        userMessage: `Line ${position}: 0 % VAT needs an exemption reason (for example "TVA non applicable, art. 293 B du CGI" or "Exenta art. 20 LIVA").`,
        field: `lines.${position - 1}.exemptionReason`,
      });
    }
    return;
  }
  if (line.vatCategory === "S" && line.vatRateBp === 0) {
    throw new DomainError("invoice.zero_vat", `${where}: 0 % VAT under standard category`, {
      userMessage: `Line ${position}: 0 % VAT is only allowed with an exemption category (Z, E, AE, K, G, O) and a reason.`,
      field: `lines.${position - 1}.vatRateBp`,
    });
  }
}

function assertWithholding(rateBp: number): void {
  if (!Number.isSafeInteger(rateBp) || rateBp < 0 || rateBp >= 10_000) {
    throw new DomainError("invoice.withholding_rate", `withholding rate ${rateBp} bp out of range`, {
      userMessage: "The withholding (IRPF) rate must be between 0 % and 100 %.",
    });
  }
}

/**
 * Totals of a document. VAT is computed per (category, rate) on the sum of the line nets and
 * rounded once: summing rounded per-line VAT would drift by a cent on long invoices.
 */
export function computeInvoiceTotals(lines: readonly TotalsLine[], withholdingRateBp = 0): InvoiceTotals {
  assertWithholding(withholdingRateBp);
  const lineNetsMinor = lines.map((line, index) => {
    assertVatLine(line, index + 1);
    return computeLineNet(line.quantityMilli, line.unitPriceMinor, line.priceBaseQuantityMilli);
  });
  const groups = new Map<string, { row: VatBreakdownRow; base: bigint }>();
  lines.forEach((line, index) => {
    const key = `${line.vatCategory}:${line.vatRateBp}`;
    const group = groups.get(key) ?? {
      row: {
        category: line.vatCategory,
        rateBp: line.vatRateBp,
        baseMinor: 0,
        vatMinor: 0,
        ...(line.exemptionReason?.trim() ? { exemptionReason: line.exemptionReason.trim() } : {}),
      },
      base: 0n,
    };
    group.base += BigInt(lineNetsMinor[index] ?? 0);
    groups.set(key, group);
  });
  const vatBreakdown = [...groups.values()]
    .map(({ row, base }) => ({
      ...row,
      baseMinor: toSafeNumber(base),
      vatMinor: toSafeNumber(divideRounded(base * BigInt(row.rateBp), 10_000n)),
    }))
    .sort((a, b) => b.rateBp - a.rateBp || a.category.localeCompare(b.category));
  const subtotal = lineNetsMinor.reduce((sum, net) => sum + BigInt(net), 0n);
  const vat = vatBreakdown.reduce((sum, row) => sum + BigInt(row.vatMinor), 0n);
  const withholding = divideRounded(subtotal * BigInt(withholdingRateBp), 10_000n);
  const total = subtotal + vat;
  return {
    lineNetsMinor,
    subtotalMinor: toSafeNumber(subtotal),
    vatBreakdown,
    vatMinor: toSafeNumber(vat),
    totalMinor: toSafeNumber(total),
    withholdingRateBp,
    withholdingMinor: toSafeNumber(withholding),
    collectibleMinor: toSafeNumber(total - withholding),
  };
}

// Default VAT treatment of a service from the seller's and buyer's countries (Directive 2006/112/EC
// arts. 44, 45, 196). Rates are data; a line may always override the default.
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

/** A draft line as typed or imported: VAT, unit and price base may be left to the defaults. */
export type DraftLine = {
  description: string;
  quantityMilli: number;
  unitCode?: string | undefined;
  unitPriceMinor: number;
  priceBaseQuantityMilli?: number | undefined;
  vatCategory?: VatCategory | undefined;
  vatRateBp?: number | undefined;
  exemptionReason?: string | undefined;
  periodStart?: string | undefined;
  periodEnd?: string | undefined;
  milestoneId?: string | undefined;
  timesheetId?: string | undefined;
};

/** Lines as stored on a draft: a line without VAT takes the default treatment for the parties. */
export function resolveDraftLines(lineInputs: readonly DraftLine[], fallbackVat: VatTreatment | undefined) {
  return lineInputs.map((line, index) => {
    const vat =
      line.vatRateBp !== undefined || line.vatCategory
        ? {
            category: line.vatCategory ?? "S",
            rateBp: line.vatRateBp ?? 0,
            exemptionReason: line.exemptionReason,
          }
        : fallbackVat;
    if (!vat) {
      throw new DomainError("invoice.vat_unknown", "no default VAT for seller country", {
        userMessage: `Line ${index + 1}: give a VAT rate (no default is known for your company's country).`,
        messageValues: { line: index + 1 },
        field: `lines.${index}.vatRateBp`,
      });
    }
    const row = {
      description: line.description,
      quantityMilli: line.quantityMilli,
      unitCode: line.unitCode ?? "C62",
      unitPriceMinor: line.unitPriceMinor,
      priceBaseQuantityMilli: line.priceBaseQuantityMilli ?? 1000,
      vatCategory: vat.category,
      vatRateBp: vat.rateBp,
      exemptionReason: line.exemptionReason ?? vat.exemptionReason ?? null,
      periodStart: line.periodStart ?? null,
      periodEnd: line.periodEnd ?? null,
      milestoneId: line.milestoneId ?? null,
      timesheetId: line.timesheetId ?? null,
    };
    assertVatLine(row, index + 1);
    return row;
  });
}
