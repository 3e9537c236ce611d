// An issued invoice as a UBL 2.1 e-invoice following EN 16931 (the core Peppol and the French
// and Spanish platforms build on). Pure: the frozen invoice in, the XML text out; validated in the
// tests by the official EN 16931 rules.
import { DomainError } from "../domain/errors.ts";
import type { Address } from "../domain/invoice-parties.ts";
import { convert, currencyExponent, toDecimalString } from "../domain/money.ts";
import { INVOICE_TEXT } from "../pdf/i18n.ts";
import type { PrintableInvoice, PrintableLine } from "../pdf/invoice-model.ts";
import { leaf, node, rootElement, type XmlNode } from "./xml.ts";

export type EInvoiceSource = {
  invoice: PrintableInvoice & { typeCode: string; paymentMeansCode: string; notes?: string | null };
  lines: readonly PrintableLine[];
  /** The invoice a credit note corrects (BT-25, BT-26). */
  preceding?: { number: string; issueDate: string | null } | undefined;
};

const NAMESPACES = {
  cac: "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
  cbc: "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
};
const CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017";
// Payment means that are credit transfers need the payee's account (BR-61).
const CREDIT_TRANSFER_CODES = new Set(["30", "58"]);

/** EN 16931 amounts have at most 2 decimals (BR-DEC-*): a KWD or BHD invoice cannot be one. */
export function ublSupported(currency: string): boolean {
  return currencyExponent(currency.trim()) <= 2;
}

export function buildUblInvoice(source: EInvoiceSource): string {
  const { invoice, lines } = source;
  const { number, issueDate, seller, buyer } = invoice;
  if (!number || !issueDate || !seller || !buyer) {
    throw new DomainError("einvoice.not_issued", "only an issued invoice has an e-invoice", {
      userMessage: "Only an issued invoice can be exported as an e-invoice; issue it first.",
    });
  }
  const currency = invoice.currency.trim();
  if (!ublSupported(currency)) {
    throw new DomainError("einvoice.decimals", `${currency} has more than 2 decimals`, {
      userMessage: `EN 16931 e-invoices carry amounts with at most 2 decimals, so an invoice in ${currency} cannot be exported as one; send the PDF.`,
    });
  }
  const credit = invoice.kind === "credit_note";
  const t = INVOICE_TEXT[buyer.language];
  const money = (minor: number, code = currency) => toDecimalString(minor, code);
  const amountLeaf = (name: string, minor: number, code = currency) =>
    leaf(name, money(minor, code), { currencyID: code });
  // BR-O-02: an invoice outside the scope of VAT names no VAT identifiers at all.
  const outsideVat = invoice.vatBreakdown.length > 0 && invoice.vatBreakdown.every((r) => r.category === "O");
  const taxCurrency =
    invoice.baseCurrency && invoice.exchangeRate && invoice.baseCurrency !== currency
      ? { code: invoice.baseCurrency, rate: invoice.exchangeRate }
      : undefined;
  const withholdingNote =
    invoice.withholdingMinor > 0
      ? `${t.withholding} ${percent(invoice.withholdingRateBp)} %: -${money(invoice.withholdingMinor)} ${currency}. ${t.amountDue}: ${money(invoice.totalMinor - invoice.withholdingMinor)} ${currency}.`
      : undefined;
  const terms =
    invoice.paymentTermsDays === null
      ? undefined
      : `${t.paymentTerms}: ${
          invoice.paymentTermsRule === "end_of_month"
            ? t.endOfMonthDays(invoice.paymentTermsDays)
            : t.netDays(invoice.paymentTermsDays)
        }`;
  const hasAccount = Boolean(seller.iban?.trim());
  const paymentMeans =
    !CREDIT_TRANSFER_CODES.has(invoice.paymentMeansCode) || hasAccount
      ? node(
          "cac:PaymentMeans",
          leaf("cbc:PaymentMeansCode", invoice.paymentMeansCode),
          credit ? leaf("cbc:PaymentDueDate", invoice.dueDate) : undefined,
          leaf("cbc:PaymentID", number),
          hasAccount
            ? node(
                "cac:PayeeFinancialAccount",
                leaf("cbc:ID", seller.iban?.replace(/\s+/g, "")),
                leaf("cbc:Name", seller.legalName),
                node("cac:FinancialInstitutionBranch", leaf("cbc:ID", seller.bic)),
              )
            : undefined,
        )
      : undefined;

  const lineName = credit ? "cac:CreditNoteLine" : "cac:InvoiceLine";
  const quantityName = credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity";
  const lineNodes = lines.map((line, index) =>
    node(
      lineName,
      leaf("cbc:ID", index + 1),
      leaf(quantityName, thousandths(line.quantityMilli), { unitCode: line.unitCode }),
      amountLeaf("cbc:LineExtensionAmount", line.netMinor),
      period(line.periodStart, line.periodEnd),
      node(
        "cac:Item",
        // BT-153 is a name: a long description keeps its full text in BT-154.
        line.description.length > 200 ? leaf("cbc:Description", line.description) : undefined,
        leaf("cbc:Name", shorten(line.description, 200)),
        node(
          "cac:ClassifiedTaxCategory",
          leaf("cbc:ID", line.vatCategory),
          line.vatCategory === "O" ? undefined : leaf("cbc:Percent", percent(line.vatRateBp)),
          node("cac:TaxScheme", leaf("cbc:ID", "VAT")),
        ),
      ),
      node(
        "cac:Price",
        amountLeaf("cbc:PriceAmount", line.unitPriceMinor),
        (line.priceBaseQuantityMilli ?? 1000) === 1000
          ? undefined
          : leaf("cbc:BaseQuantity", thousandths(line.priceBaseQuantityMilli ?? 1000), {
              unitCode: line.unitCode,
            }),
      ),
    ),
  );

  const children: XmlNode[] = [
    leaf("cbc:CustomizationID", CUSTOMIZATION_ID),
    leaf("cbc:ID", number),
    leaf("cbc:IssueDate", issueDate),
    credit ? undefined : leaf("cbc:DueDate", invoice.dueDate),
    leaf(credit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode", invoice.typeCode),
    leaf("cbc:Note", invoice.correctionReason),
    leaf("cbc:Note", invoice.notes),
    leaf("cbc:Note", withholdingNote),
    leaf("cbc:DocumentCurrencyCode", currency),
    leaf("cbc:TaxCurrencyCode", taxCurrency?.code),
    period(invoice.servicePeriodStart, invoice.servicePeriodEnd),
    node("cac:OrderReference", leaf("cbc:ID", buyer.poReference)),
    source.preceding
      ? node(
          "cac:BillingReference",
          node(
            "cac:InvoiceDocumentReference",
            leaf("cbc:ID", source.preceding.number),
            leaf("cbc:IssueDate", source.preceding.issueDate),
          ),
        )
      : undefined,
    node(
      "cac:AccountingSupplierParty",
      node(
        "cac:Party",
        endpoint(seller.electronicAddress),
        node("cac:PartyName", leaf("cbc:Name", seller.tradeName)),
        postalAddress(seller.address, seller.address.country),
        outsideVat ? undefined : taxScheme(seller.vatId, "VAT"),
        // A Spanish seller without an EU VAT number is identified for tax by its NIF (BT-32).
        outsideVat || seller.vatId ? undefined : taxScheme(seller.nif, "NIF"),
        node(
          "cac:PartyLegalEntity",
          leaf("cbc:RegistrationName", seller.legalName),
          seller.siren
            ? leaf("cbc:CompanyID", seller.siren, { schemeID: "0002" })
            : leaf("cbc:CompanyID", seller.nif),
          leaf("cbc:CompanyLegalForm", legalForm(seller)),
        ),
        node("cac:Contact", leaf("cbc:Telephone", seller.phone), leaf("cbc:ElectronicMail", seller.email)),
      ),
    ),
    node(
      "cac:AccountingCustomerParty",
      node(
        "cac:Party",
        endpoint(buyer.electronicAddress),
        postalAddress(buyer.address, buyer.country),
        outsideVat ? undefined : taxScheme(vatIdentifier(buyer.taxId, buyer.country), "VAT"),
        node(
          "cac:PartyLegalEntity",
          leaf("cbc:RegistrationName", buyer.name),
          buyer.siren ? leaf("cbc:CompanyID", buyer.siren, { schemeID: "0002" }) : undefined,
        ),
        node("cac:Contact", leaf("cbc:ElectronicMail", buyer.emails[0])),
      ),
    ),
    paymentMeans,
    node("cac:PaymentTerms", leaf("cbc:Note", terms)),
    node(
      "cac:TaxTotal",
      amountLeaf("cbc:TaxAmount", invoice.vatMinor),
      ...invoice.vatBreakdown.map((row) =>
        node(
          "cac:TaxSubtotal",
          amountLeaf("cbc:TaxableAmount", row.baseMinor),
          amountLeaf("cbc:TaxAmount", row.vatMinor),
          node(
            "cac:TaxCategory",
            leaf("cbc:ID", row.category),
            row.category === "O" ? undefined : leaf("cbc:Percent", percent(row.rateBp)),
            leaf("cbc:TaxExemptionReason", row.exemptionReason),
            node("cac:TaxScheme", leaf("cbc:ID", "VAT")),
          ),
        ),
      ),
    ),
    // VAT in the accounting currency (BT-111), e.g. euros for a Spanish invoice in dollars.
    taxCurrency
      ? node(
          "cac:TaxTotal",
          amountLeaf(
            "cbc:TaxAmount",
            convert(invoice.vatMinor, currency, taxCurrency.code, taxCurrency.rate),
            taxCurrency.code,
          ),
        )
      : undefined,
    node(
      "cac:LegalMonetaryTotal",
      amountLeaf(
        "cbc:LineExtensionAmount",
        lines.reduce((sum, line) => sum + line.netMinor, 0),
      ),
      amountLeaf("cbc:TaxExclusiveAmount", invoice.subtotalMinor),
      amountLeaf("cbc:TaxInclusiveAmount", invoice.totalMinor),
      amountLeaf("cbc:PayableAmount", invoice.totalMinor),
    ),
    ...lineNodes,
  ];
  return credit
    ? rootElement(
        "CreditNote",
        { xmlns: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2", ...xmlnsOf(NAMESPACES) },
        ...children,
      )
    : rootElement(
        "Invoice",
        { xmlns: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", ...xmlnsOf(NAMESPACES) },
        ...children,
      );
}

function xmlnsOf(namespaces: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(namespaces).map(([prefix, uri]) => [`xmlns:${prefix}`, uri]));
}

function period(start: string | null | undefined, end: string | null | undefined) {
  return node("cac:InvoicePeriod", leaf("cbc:StartDate", start), leaf("cbc:EndDate", end));
}

function postalAddress(address: Address | undefined, country: string) {
  return node(
    "cac:PostalAddress",
    leaf("cbc:StreetName", address?.line1),
    leaf("cbc:AdditionalStreetName", address?.line2),
    leaf("cbc:CityName", address?.city),
    leaf("cbc:PostalZone", address?.postcode),
    node("cac:Country", leaf("cbc:IdentificationCode", (address?.country ?? country).toUpperCase())),
  );
}

function taxScheme(companyId: string | undefined, scheme: string) {
  const id = companyId?.replace(/\s+/g, "");
  return id
    ? node("cac:PartyTaxScheme", leaf("cbc:CompanyID", id), node("cac:TaxScheme", leaf("cbc:ID", scheme)))
    : undefined;
}

/** A VAT identifier starts with its country's code (BR-CO-9): a bare Spanish NIF gets "ES". */
function vatIdentifier(taxId: string | undefined, country: string): string | undefined {
  const id = taxId?.replace(/[\s.-]+/g, "").toUpperCase();
  if (!id) return undefined;
  return /^[A-Z]{2}/.test(id) ? id : `${country.toUpperCase()}${id}`;
}

/** "0225:123456789" (an EAS scheme and its identifier) or an e-mail address; anything else is left out. */
function endpoint(address: string | undefined) {
  const value = address?.trim();
  if (!value) return undefined;
  const scheme = /^(\d{4}):(.+)$/.exec(value);
  if (scheme?.[1] && scheme[2]) return leaf("cbc:EndpointID", scheme[2], { schemeID: scheme[1] });
  if (value.includes("@")) return leaf("cbc:EndpointID", value, { schemeID: "EM" });
  return undefined;
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
