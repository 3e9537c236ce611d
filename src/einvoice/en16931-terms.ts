// An issued invoice in the terms of EN 16931 (BT-* and BG-*), once: the UBL and the CII
// serialisations both read this, so the two formats cannot disagree on a figure or a rule.
// Pure: the frozen invoice in, decimal strings and codes out.

import { DomainError } from "../domain/errors.ts";
import type { Address } from "../domain/invoice-parties.ts";
import { parseElectronicAddress } from "../domain/invoice-parties.ts";
import { frenchReformMentions, type MentionKey, selectLegalMentions } from "../domain/legal-mentions.ts";
import { convert, currencyExponent, toDecimalString } from "../domain/money.ts";
import { rfReference } from "../domain/sepa-transfer.ts";
import { t } from "../i18n/t.ts";
import { paymentTermsText } from "../pdf/i18n.ts";
import type { PrintableInvoice, PrintableLine } from "../pdf/invoice-model.ts";

export type EInvoiceSource = {
  invoice: PrintableInvoice & { typeCode: string; paymentMeansCode: string; notes?: string | null };
  lines: readonly PrintableLine[];
  /** The invoice a credit note corrects (BT-25, BT-26). */
  preceding?: { number: string; issueDate: string | null } | undefined;
  /** The late-penalty rate in force, stated in the penalty note as the PDF prints it (basis points). */
  latePenaltyRateBp?: number | undefined;
  /** Spain: the AEAT verification (cotejo) URL of its VERI*FACTU record, what the PDF's QR code encodes. */
  verifactuUrl?: string | undefined;
};

export type En16931Party = {
  /** BT-27 / BT-44 */
  name: string;
  /** BT-28 */
  tradeName?: string | undefined;
  /** BT-30 / BT-47, with its ISO 6523 scheme (0002: SIREN) when it has one. */
  legalId?: { id: string; scheme?: string | undefined } | undefined;
  /** BT-31 / BT-48 */
  vatId?: string | undefined;
  /** BT-32: the seller's tax registration when it has no VAT id (a Spanish NIF). */
  taxRegistrationId?: string | undefined;
  /** BT-33 */
  legalInfo?: string | undefined;
  /** BT-34 / BT-49 */
  electronicAddress?: { id: string; scheme: string } | undefined;
  address: { line1?: string; line2?: string; city?: string; postcode?: string; country: string };
  phone?: string | undefined;
  email?: string | undefined;
};

export type En16931Line = {
  /** BT-126 */
  id: string;
  /** BT-153, at most 200 characters; the full text in BT-154 when longer. */
  name: string;
  description?: string | undefined;
  /** BT-129, BT-130 */
  quantity: string;
  unitCode: string;
  /** BT-146, and BT-149 when the price is not per one unit. */
  price: string;
  baseQuantity?: string | undefined;
  /** BT-131 */
  net: string;
  /** BT-151, BT-152 (absent for category O). */
  category: string;
  ratePercent?: string | undefined;
  period: { start?: string | null | undefined; end?: string | null | undefined };
};

export type En16931Note = { text: string; subject?: string | undefined };

/**
 * BT-8 says when VAT becomes due; the two syntaxes code it differently (UNTDID 2005 in UBL, 2475
 * in CII). French services: on payment, or on the invoice date when the seller opted for debits.
 */
export type VatPointCode = { ubl: "3" | "432"; cii: "5" | "72" };
const VAT_DUE_ON_INVOICE: VatPointCode = { ubl: "3", cii: "5" };
const VAT_DUE_ON_PAYMENT: VatPointCode = { ubl: "432", cii: "72" };

/** The French CTC profile asks for these mentions as notes with these subjects (BR-FR-05). */
const NOTE_SUBJECTS: Partial<Record<MentionKey, string>> = {
  late_penalty: "PMD",
  recovery_indemnity: "PMT",
  early_payment_discount: "AAB",
};

// The French profile's list of document types (BR-FR-04) has no debit note (383): a French
// seller's interest note travels as a commercial invoice.
const FRENCH_TYPE_CODES: Record<string, string> = { "383": "380" };

export type En16931VatRow = {
  category: string;
  ratePercent?: string | undefined;
  base: string;
  vat: string;
  exemptionReason?: string | undefined;
};

export type En16931Invoice = {
  credit: boolean;
  customizationId: string;
  number: string;
  issueDate: string;
  typeCode: string;
  currency: string;
  /** BT-9 */
  dueDate?: string | null | undefined;
  /** BT-6 and the VAT total in it (BT-111), when the accounting currency differs. */
  taxCurrency?: { code: string; vat: string } | undefined;
  /** BT-22, in order, with their subject (BT-21, UNTDID 4451) when the French profile names one. */
  notes: En16931Note[];
  /** BG-14, and BT-8 (when VAT becomes due) for a French seller. */
  period: {
    start?: string | null | undefined;
    end?: string | null | undefined;
    vatPointCode?: VatPointCode | undefined;
  };
  /** BG-13 / BG-15: where the services are delivered, when it is not the buyer's address. */
  deliverTo?: { name: string; address: En16931Party["address"] } | undefined;
  /** BT-13 */
  orderReference?: string | undefined;
  /** BG-3 */
  preceding?: { number: string; issueDate?: string | null | undefined } | undefined;
  /**
   * BG-24 (BT-122, BT-123, BT-124): a structured invoice carries the VERI*FACTU cotejo URL as a field
   * of its own instead of the QR image (Orden HAC/1177/2024 art. 20.2).
   */
  verifactu?: { id: string; description: string; url: string } | undefined;
  seller: En16931Party;
  buyer: En16931Party;
  /** BG-16; absent for a credit transfer without the payee's account (BR-61). */
  paymentMeans?:
    | {
        code: string;
        /** BT-83 */
        reference: string;
        account?: { iban: string; name: string; bic?: string | undefined } | undefined;
      }
    | undefined;
  /** BT-20 */
  paymentTerms?: string | undefined;
  vatBreakdown: En16931VatRow[];
  totals: {
    /** BT-106 */
    lineTotal: string;
    /** BT-109 */
    taxExclusive: string;
    /** BT-110 */
    vat: string;
    /** BT-112 */
    taxInclusive: string;
    /** BT-113: the Spanish IRPF the client withholds and pays to the tax office for the seller. */
    prepaid?: string | undefined;
    /** BT-115 */
    payable: string;
  };
  lines: En16931Line[];
};

const CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017";
// Payment means that are credit transfers need the payee's account (BR-61).
const CREDIT_TRANSFER_CODES = new Set(["30", "58"]);

/** EN 16931 amounts have at most 2 decimals (BR-DEC-*): a KWD or BHD invoice cannot be one. */
export function en16931Supported(currency: string): boolean {
  return currencyExponent(currency.trim()) <= 2;
}

export function toEn16931(source: EInvoiceSource): En16931Invoice {
  const { invoice, lines } = source;
  const { number, issueDate, seller, buyer } = invoice;
  if (!number || !issueDate || !seller || !buyer) {
    throw new DomainError("einvoice.not_issued", "only an issued invoice has an e-invoice", {
      userMessage: "Only an issued invoice can be exported as an e-invoice; issue it first.",
    });
  }
  const currency = invoice.currency.trim();
  if (!en16931Supported(currency)) {
    throw new DomainError("einvoice.decimals", `${currency} has more than 2 decimals`, {
      userMessage: `EN 16931 e-invoices carry amounts with at most 2 decimals, so an invoice in ${currency} cannot be exported as one; send the PDF.`,
    });
  }
  const credit = invoice.kind === "credit_note";
  const language = buyer.language;
  const money = (minor: number, code = currency) => toDecimalString(minor, code);
  // BR-O-02: an invoice outside the scope of VAT names no VAT identifiers at all.
  const outsideVat = invoice.vatBreakdown.length > 0 && invoice.vatBreakdown.every((r) => r.category === "O");
  const withholdingNote =
    invoice.withholdingMinor > 0
      ? `${t(language, "pdf.withholding")} ${percent(invoice.withholdingRateBp)} %: -${money(invoice.withholdingMinor)} ${currency}. ${t(language, "pdf.amount_due")}: ${money(invoice.totalMinor - invoice.withholdingMinor)} ${currency}.`
      : undefined;
  const iban = seller.iban?.replace(/\s+/g, "");
  const sellerVat = outsideVat ? undefined : clean(seller.vatId);
  const french = seller.address.country.toUpperCase() === "FR";
  // The payment mentions the PDF prints, as the notes the French profile names (PMD, PMT, AAB).
  const paymentMentions = selectLegalMentions({
    sellerCountry: seller.address.country,
    buyerProfile: buyer.profile,
    language: buyer.language,
    kind: invoice.kind,
    vatBreakdown: [],
    withholdingRateBp: 0,
    latePenaltyRateBp: source.latePenaltyRateBp,
  }).flatMap((m) => {
    const subject = NOTE_SUBJECTS[m.key];
    return subject ? [{ text: m.text, subject }] : [];
  });
  const text = (note: string | null | undefined): En16931Note[] => (note?.trim() ? [{ text: note }] : []);

  return {
    credit,
    customizationId: CUSTOMIZATION_ID,
    number,
    issueDate,
    typeCode: french ? (FRENCH_TYPE_CODES[invoice.typeCode] ?? invoice.typeCode) : invoice.typeCode,
    currency,
    dueDate: invoice.dueDate,
    taxCurrency:
      invoice.baseCurrency && invoice.exchangeRate && invoice.baseCurrency !== currency
        ? {
            code: invoice.baseCurrency,
            vat: money(
              convert(invoice.vatMinor, currency, invoice.baseCurrency, invoice.exchangeRate),
              invoice.baseCurrency,
            ),
          }
        : undefined,
    notes: [
      ...text(invoice.correctionReason),
      ...text(invoice.notes),
      ...text(withholdingNote),
      // EN 16931 has no term for these French mentions: they travel as invoice notes (BT-22).
      ...frenchReformMentions({
        sellerCountry: seller.address.country,
        buyerProfile: buyer.profile,
        language: buyer.language,
        vatOnDebits: seller.vatOnDebits,
      }).map((m) => ({ text: m.text })),
      ...paymentMentions,
    ],
    period: {
      start: invoice.servicePeriodStart,
      end: invoice.servicePeriodEnd,
      // BR-O-*: outside the scope of VAT, no VAT ever becomes due.
      vatPointCode:
        !french || outsideVat ? undefined : seller.vatOnDebits ? VAT_DUE_ON_INVOICE : VAT_DUE_ON_PAYMENT,
    },
    deliverTo: buyer.deliveryAddress
      ? { name: buyer.name, address: postalAddress(buyer.deliveryAddress, buyer.country) }
      : undefined,
    orderReference: buyer.poReference,
    preceding: source.preceding,
    verifactu: source.verifactuUrl
      ? {
          id: "VERI*FACTU",
          description: "Factura verificable en la sede electrónica de la AEAT",
          url: source.verifactuUrl,
        }
      : undefined,
    seller: {
      name: seller.legalName,
      tradeName: seller.tradeName,
      legalId: seller.siren
        ? { id: seller.siren, scheme: "0002" }
        : seller.nif
          ? { id: seller.nif }
          : undefined,
      vatId: sellerVat,
      // A Spanish seller without an EU VAT number is identified for tax by its NIF (BT-32).
      taxRegistrationId: outsideVat || sellerVat ? undefined : clean(seller.nif),
      legalInfo: legalForm(seller),
      electronicAddress: endpoint(seller.electronicAddress),
      address: postalAddress(seller.address, seller.address.country),
      phone: seller.phone,
      email: seller.email,
    },
    buyer: {
      name: buyer.name,
      legalId: buyer.siren ? { id: buyer.siren, scheme: "0002" } : undefined,
      vatId: outsideVat ? undefined : vatIdentifier(buyer.taxId, buyer.country),
      electronicAddress: endpoint(buyer.electronicAddress),
      address: postalAddress(buyer.address, buyer.country),
      email: buyer.emails[0],
    },
    paymentMeans:
      !CREDIT_TRANSFER_CODES.has(invoice.paymentMeansCode) || iban
        ? {
            code: invoice.paymentMeansCode,
            // BT-83: the ISO 11649 reference the payer's bank carries back to the statement.
            reference: rfReference(number) ?? number,
            account: iban ? { iban, name: seller.legalName, bic: seller.bic } : undefined,
          }
        : undefined,
    paymentTerms:
      invoice.paymentTermsDays === null
        ? undefined
        : paymentTermsText(language, invoice.paymentTermsRule, invoice.paymentTermsDays),
    vatBreakdown: invoice.vatBreakdown.map((row) => ({
      category: row.category,
      ratePercent: row.category === "O" ? undefined : percent(row.rateBp),
      base: money(row.baseMinor),
      vat: money(row.vatMinor),
      exemptionReason: row.exemptionReason,
    })),
    totals: {
      lineTotal: money(lines.reduce((sum, line) => sum + line.netMinor, 0)),
      taxExclusive: money(invoice.subtotalMinor),
      vat: money(invoice.vatMinor),
      taxInclusive: money(invoice.totalMinor),
      // EN 16931 has no withholding term: the IRPF is stated as paid (to the tax office, for the
      // seller), so the payable amount is what the client transfers (BR-CO-16 holds).
      prepaid: invoice.withholdingMinor > 0 ? money(invoice.withholdingMinor) : undefined,
      payable: money(invoice.totalMinor - invoice.withholdingMinor),
    },
    lines: lines.map((line, index) => ({
      id: String(index + 1),
      name: shorten(line.description, 200),
      description: line.description.length > 200 ? line.description : undefined,
      quantity: thousandths(line.quantityMilli),
      unitCode: line.unitCode,
      price: money(line.unitPriceMinor),
      baseQuantity:
        (line.priceBaseQuantityMilli ?? 1000) === 1000
          ? undefined
          : thousandths(line.priceBaseQuantityMilli ?? 1000),
      net: money(line.netMinor),
      category: line.vatCategory,
      ratePercent: line.vatCategory === "O" ? undefined : percent(line.vatRateBp),
      period: { start: line.periodStart, end: line.periodEnd },
    })),
  };
}

function postalAddress(address: Address | undefined, country: string): En16931Party["address"] {
  return {
    ...(address?.line1 ? { line1: address.line1 } : {}),
    ...(address?.line2 ? { line2: address.line2 } : {}),
    ...(address?.city ? { city: address.city } : {}),
    ...(address?.postcode ? { postcode: address.postcode } : {}),
    country: (address?.country ?? country).toUpperCase(),
  };
}

function clean(id: string | undefined): string | undefined {
  return id?.replace(/\s+/g, "") || undefined;
}

/** A VAT identifier starts with its country's code (BR-CO-9): a bare Spanish NIF gets "ES". */
function vatIdentifier(taxId: string | undefined, country: string): string | undefined {
  const id = taxId?.replace(/[\s.-]+/g, "").toUpperCase();
  if (!id) return undefined;
  return /^[A-Z]{2}/.test(id) ? id : `${country.toUpperCase()}${id}`;
}

/** "0225:123456789" (an EAS scheme and its identifier) or an e-mail address; anything else is left out. */
function endpoint(address: string | undefined): En16931Party["electronicAddress"] {
  return parseElectronicAddress(address);
}

function legalForm(seller: { legalForm?: string; shareCapital?: string; rcs?: string }): string | undefined {
  const parts = [
    seller.legalForm && seller.shareCapital
      ? `${seller.legalForm}, capital ${seller.shareCapital}`
      : seller.legalForm,
    seller.rcs,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(" — ") : undefined;
}

/** 2000 → "20", 550 → "5.5". */
function percent(rateBp: number): string {
  return trimDecimal(rateBp, 100);
}

/** 7500 → "7.5", 1000 → "1". */
function thousandths(milli: number): string {
  return trimDecimal(milli, 1000);
}

function trimDecimal(value: number, scale: number): string {
  const negative = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  const digits = String(scale).length - 1;
  const fraction = String(abs % scale)
    .padStart(digits, "0")
    .replace(/0+$/, "");
  return `${negative}${Math.trunc(abs / scale)}${fraction ? `.${fraction}` : ""}`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
