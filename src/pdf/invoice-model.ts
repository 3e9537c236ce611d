// Builds the printable view of an issued invoice: every string already formatted and translated,
// so rendering is layout only.

import { formatDate } from "../domain/calendar.ts";
import type { Buyer, Seller } from "../domain/invoice-parties.ts";
import type { VatBreakdownRow, VatCategory } from "../domain/invoice-totals.ts";
import { type LegalMention, selectLegalMentions } from "../domain/legal-mentions.ts";
import { convert, formatMoney } from "../domain/money.ts";
import { formatRfReference, rfReference } from "../domain/sepa-transfer.ts";
import { type MessageKey, type MessageValues, t } from "../i18n/t.ts";
import { type InvoiceLanguage, LOCALES, paymentTermsText } from "./i18n.ts";

/** The fields of an issued invoice the PDF needs (structurally an `invoices` row). */
export type PrintableInvoice = {
  kind: "invoice" | "credit_note" | "interest_note" | "deposit";
  number: string | null;
  currency: string;
  issueDate: string | null;
  dueDate: string | null;
  servicePeriodStart: string | null;
  servicePeriodEnd: string | null;
  subtotalMinor: number;
  vatMinor: number;
  withholdingMinor: number;
  withholdingRateBp: number;
  totalMinor: number;
  vatBreakdown:
    | VatBreakdownRow[]
    | { category: string; rateBp: number; baseMinor: number; vatMinor: number; exemptionReason?: string }[];
  baseCurrency: string | null;
  exchangeRate: string | null;
  exchangeRateDate: string | null;
  seller: Seller | null;
  buyer: Buyer | null;
  paymentTermsDays: number | null;
  paymentTermsRule: "net" | "end_of_month" | null;
  correctionReason: string | null;
  /** "void": cancelled (a VERI*FACTU anulación); its copy says so in the title. */
  status?: string | undefined;
};
export type PrintableLine = {
  description: string;
  quantityMilli: number;
  unitCode: string;
  unitPriceMinor: number;
  /** BT-149: the unit price is for this quantity (thousandths); 1 unit when absent. */
  priceBaseQuantityMilli?: number;
  netMinor: number;
  vatRateBp: number;
  vatCategory: string;
  periodStart: string | null;
  periodEnd: string | null;
};

export type InvoicePdfModel = {
  language: InvoiceLanguage;
  title: string;
  numberLine: string;
  facts: { label: string; value: string }[];
  seller: { heading: string; lines: string[] };
  buyer: { heading: string; lines: string[] };
  columns: { description: string; quantity: string; unitPrice: string; vatRate: string; lineTotal: string };
  lines: { description: string; quantity: string; unitPrice: string; vatRate: string; lineTotal: string }[];
  vatHeading: string;
  vatColumns: { rate: string; base: string; vat: string };
  vatRows: { rate: string; base: string; vat: string }[];
  totals: { label: string; value: string; strong?: boolean }[];
  payment: { heading: string; lines: string[] };
  mentions: string[];
  footer: string;
  pageLabel: (page: number, pages: number) => string;
  /** A SEPA QR code (EPC069-12) the payer's banking app scans to fill the transfer. */
  sepaQr?: { payload: string; caption: string };
  /** Spanish invoices under VERI*FACTU: the AEAT verification URL printed as a QR code. */
  verifactu?: { qrUrl: string };
};

const integerFormatters = new Map<string, Intl.NumberFormat>();
function integerFormatter(locale: string): Intl.NumberFormat {
  let formatter = integerFormatters.get(locale);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    integerFormatters.set(locale, formatter);
  }
  return formatter;
}

function quantityText(milli: number, locale: string): string {
  const whole = Math.trunc(milli / 1000);
  const fraction = Math.abs(milli % 1000);
  const decimal = locale.startsWith("en") ? "." : ",";
  const grouped = integerFormatter(locale).format(whole);
  return fraction === 0
    ? grouped
    : `${grouped}${decimal}${String(fraction).padStart(3, "0").replace(/0+$/, "")}`;
}

function rateText(rateBp: number, language: InvoiceLanguage): string {
  const whole = Math.trunc(rateBp / 100);
  const cents = rateBp % 100;
  const sep = language === "en" ? "." : ",";
  const number =
    cents === 0 ? `${whole}` : `${whole}${sep}${String(cents).padStart(2, "0").replace(/0$/, "")}`;
  return language === "en" ? `${number}%` : `${number} %`;
}

function addressLines(
  address: { line1: string; line2?: string; postcode: string; city: string; country: string } | undefined,
) {
  if (!address) return [];
  return [address.line1, address.line2, `${address.postcode} ${address.city}`, address.country].filter(
    (line): line is string => !!line?.trim(),
  );
}

export type InvoiceModelOptions = {
  /** Number of the corrected invoice, for credit notes. */
  correctsNumber?: string | undefined;
  /** Late-penalty rate in force (basis points), printed next to the statutory formula. */
  latePenaltyRateBp?: number | undefined;
  /** The EPC069-12 payload of a SEPA credit transfer, printed as a QR code beside the payment terms. */
  sepaQrPayload?: string | undefined;
  /** Cobro's pay link (Stripe Checkout), printed instead of the seller's own payment link. */
  payUrl?: string | undefined;
  /** The AEAT verification URL of the invoice's VERI*FACTU record, when it has one. */
  verifactuQrUrl?: string | undefined;
  /** Print every amount negative, as the invoice's tax record states it (a rectificativa por diferencias). */
  negativeAmounts?: boolean | undefined;
  /** A rectificativa por sustitución: the corrected invoice's total, which its tax record states. */
  correctedTotalMinor?: number | undefined;
};

export function buildInvoicePdfModel(
  invoice: PrintableInvoice,
  lines: readonly PrintableLine[],
  options: InvoiceModelOptions = {},
): InvoicePdfModel {
  if (!invoice.number || !invoice.issueDate || !invoice.seller || !invoice.buyer) {
    throw new Error("only an issued invoice (number, date, parties frozen) can be printed");
  }
  const seller = invoice.seller;
  const buyer = invoice.buyer;
  const language = buyer.language;
  const text = (key: MessageKey, values?: MessageValues) => t(language, key, values);
  const locale = LOCALES[language];
  const sign = options.negativeAmounts ? -1 : 1;
  const money = (amountMinor: number, currency = invoice.currency) =>
    formatMoney({ amountMinor: sign * amountMinor, currency }, locale);
  const isCredit = invoice.kind === "credit_note";

  const facts: { label: string; value: string }[] = [
    { label: text("pdf.issue_date"), value: formatDate(invoice.issueDate) },
  ];
  const start = invoice.servicePeriodStart ?? lines.find((l) => l.periodStart)?.periodStart ?? null;
  const end = invoice.servicePeriodEnd ?? lines.find((l) => l.periodEnd)?.periodEnd ?? null;
  if (start && end && start !== end) {
    facts.push({ label: text("pdf.service_period"), value: `${formatDate(start)} – ${formatDate(end)}` });
  } else {
    // The service date is required when it differs from the issue date; printing it always is harmless.
    facts.push({ label: text("pdf.service_date"), value: formatDate(start ?? end ?? invoice.issueDate) });
  }
  if (invoice.dueDate && !isCredit)
    facts.push({ label: text("pdf.due_date"), value: formatDate(invoice.dueDate) });
  if (isCredit && options.correctsNumber)
    facts.push({ label: text("pdf.corrects_invoice"), value: options.correctsNumber });
  if (isCredit && invoice.correctionReason)
    facts.push({ label: text("pdf.reason"), value: invoice.correctionReason });
  if (buyer.poReference) facts.push({ label: text("pdf.po_reference"), value: buyer.poReference });

  const sellerLines = [
    seller.legalName,
    ...(seller.tradeName ? [seller.tradeName] : []),
    ...(seller.legalForm || seller.shareCapital
      ? [
          [seller.legalForm, seller.shareCapital ? `${text("pdf.capital")} ${seller.shareCapital}` : ""]
            .filter(Boolean)
            .join(" "),
        ]
      : []),
    ...addressLines(seller.address),
    ...(seller.siren ? [`${text("pdf.siren")} ${seller.siren}`] : []),
    ...(seller.siret ? [`${text("pdf.siret")} ${seller.siret}`] : []),
    ...(seller.rcs ? [seller.rcs] : []),
    ...(seller.nif ? [`${text("pdf.nif")} ${seller.nif}`] : []),
    ...(seller.vatId ? [`${text("pdf.vat_id")} ${seller.vatId}`] : []),
    ...(seller.email ? [seller.email] : []),
  ];
  const buyerLines = [
    buyer.name,
    ...addressLines(buyer.address),
    ...(buyer.siren ? [`${text("pdf.siren")} ${buyer.siren}`] : []),
    ...(buyer.taxId
      ? [`${buyer.country === "ES" ? text("pdf.nif") : text("pdf.vat_id")} ${buyer.taxId}`]
      : []),
    ...(buyer.deliveryAddress
      ? [`${text("pdf.delivery_address")}: ${addressLines(buyer.deliveryAddress).join(", ")}`]
      : []),
  ];

  const lineRows = lines.map((line) => {
    const unit = text("pdf.unit", { unit: line.unitCode });
    const base = line.priceBaseQuantityMilli ?? 1000;
    return {
      description: line.description,
      quantity: `${quantityText(line.quantityMilli, locale)}${unit ? ` ${unit}` : ""}`,
      unitPrice:
        base === 1000
          ? money(line.unitPriceMinor)
          : `${money(line.unitPriceMinor)} / ${quantityText(base, locale)}${unit ? ` ${unit}` : ""}`,
      vatRate: line.vatRateBp === 0 ? line.vatCategory : rateText(line.vatRateBp, language),
      lineTotal: money(line.netMinor),
    };
  });
  const vatRows = invoice.vatBreakdown.map((row) => ({
    rate: row.rateBp === 0 ? `${rateText(0, language)} (${row.category})` : rateText(row.rateBp, language),
    base: money(row.baseMinor),
    vat: money(row.vatMinor),
  }));

  const collectible = invoice.totalMinor - invoice.withholdingMinor;
  const totals: InvoicePdfModel["totals"] = [
    { label: text("pdf.subtotal"), value: money(invoice.subtotalMinor) },
    { label: text("pdf.vat"), value: money(invoice.vatMinor) },
    { label: text("pdf.total"), value: money(invoice.totalMinor), strong: invoice.withholdingMinor === 0 },
  ];
  if (invoice.withholdingMinor > 0) {
    totals.push({
      label: `${text("pdf.withholding")} (${rateText(invoice.withholdingRateBp, language)})`,
      value: money(-invoice.withholdingMinor),
    });
  }
  totals.push({
    label: isCredit ? text("pdf.credit_total") : text("pdf.amount_due"),
    value: money(collectible),
    strong: true,
  });
  if (isCredit && options.correctedTotalMinor !== undefined) {
    totals.push({
      label: text("pdf.corrected_total"),
      value: money(options.correctedTotalMinor),
      strong: true,
    });
  }
  // Spain: VAT must also be stated in euros when invoicing in another currency (RD 1619/2012 art. 10.1).
  if (invoice.baseCurrency && invoice.exchangeRate && invoice.currency !== invoice.baseCurrency) {
    const rate = invoice.exchangeRate.replace(/\.?0+$/, "");
    totals.push({
      label: `${text("pdf.vat_in_base")} ${invoice.baseCurrency}`,
      value: money(
        convert(invoice.vatMinor, invoice.currency, invoice.baseCurrency, rate),
        invoice.baseCurrency,
      ),
    });
  }

  const payment: string[] = [];
  if (!isCredit) {
    const days = invoice.paymentTermsDays ?? 0;
    payment.push(paymentTermsText(language, invoice.paymentTermsRule, days));
    if (seller.iban) {
      payment.push(`${text("pdf.transfer")}: IBAN ${seller.iban}${seller.bic ? ` · BIC ${seller.bic}` : ""}`);
    }
    // ISO 11649: the payer's bank carries it to the statement, where Cobro matches it.
    const reference = invoice.number ? rfReference(invoice.number) : null;
    if (reference) payment.push(`${text("pdf.payment_reference")}: ${formatRfReference(reference)}`);
    const payOnline = options.payUrl ?? seller.paymentLink;
    if (payOnline) payment.push(`${text("pdf.pay_online")}: ${payOnline}`);
  }

  const mentions: LegalMention[] = selectLegalMentions({
    sellerCountry: seller.address.country,
    buyerProfile: buyer.profile,
    language,
    kind: invoice.kind,
    vatBreakdown: invoice.vatBreakdown.map((row) => ({ ...row, category: row.category as VatCategory })),
    withholdingRateBp: invoice.withholdingRateBp,
    latePenaltyRateBp: options.latePenaltyRateBp,
    correctsNumber: options.correctsNumber,
    correctionReason: invoice.correctionReason ?? undefined,
    vatOnDebits: seller.vatOnDebits,
  });
  if (invoice.baseCurrency && invoice.exchangeRate && invoice.currency !== invoice.baseCurrency) {
    mentions.push({
      key: "vat_in_euros",
      text: text("pdf.exchange_rate", {
        rate: invoice.exchangeRate.replace(/\.?0+$/, ""),
        base: invoice.baseCurrency,
        date: formatDate(invoice.exchangeRateDate ?? invoice.issueDate),
      }),
    });
  }

  return {
    language,
    title:
      invoice.status === "void"
        ? text("pdf.title.void", { title: text(`pdf.title.${invoice.kind}`) })
        : text(`pdf.title.${invoice.kind}`),
    numberLine: `${text("pdf.number")} ${invoice.number}`,
    facts,
    seller: { heading: text("pdf.seller"), lines: sellerLines },
    buyer: { heading: text("pdf.buyer"), lines: buyerLines },
    columns: {
      description: text("pdf.description"),
      quantity: text("pdf.quantity"),
      unitPrice: text("pdf.unit_price"),
      vatRate: text("pdf.vat_rate"),
      lineTotal: text("pdf.line_total"),
    },
    lines: lineRows,
    vatHeading: text("pdf.vat_breakdown"),
    vatColumns: { rate: text("pdf.vat_rate"), base: text("pdf.vat_base"), vat: text("pdf.vat_amount") },
    vatRows,
    totals,
    payment: { heading: text("pdf.payment_methods"), lines: payment },
    mentions: mentions.map((m) => m.text),
    footer: [
      seller.legalName,
      // "Atelier Durand SAS · SIREN …", not "Atelier Durand SAS · SAS · SIREN …".
      seller.legalForm && !nameEndsWith(seller.legalName, seller.legalForm) ? seller.legalForm : "",
      seller.siren
        ? `${text("pdf.siren")} ${seller.siren}`
        : seller.nif
          ? `${text("pdf.nif")} ${seller.nif}`
          : "",
    ]
      .filter(Boolean)
      .join(" · "),
    pageLabel: (page, pages) => text("pdf.page", { page, pages }),
    ...(options.verifactuQrUrl ? { verifactu: { qrUrl: options.verifactuQrUrl } } : {}),
    ...(options.sepaQrPayload && !isCredit
      ? { sepaQr: { payload: options.sepaQrPayload, caption: text("pdf.sepa_qr_caption") } }
      : {}),
  };
}

function nameEndsWith(name: string, legalForm: string): boolean {
  return name.trim().toUpperCase().endsWith(` ${legalForm.trim().toUpperCase()}`);
}
