// An issued invoice as a UBL 2.1 e-invoice following EN 16931 (the core Peppol and the French
// and Spanish platforms build on): the UBL serialisation of the EN 16931 terms (en16931-terms.ts),
// which the CII one reads too. Validated in the tests by the official EN 16931 rules.
import {
  type EInvoiceSource,
  type En16931Line,
  type En16931Party,
  en16931Supported,
  toEn16931,
} from "./en16931-terms.ts";
import { leaf, node, rootElement, type XmlNode } from "./xml.ts";

export type { EInvoiceSource } from "./en16931-terms.ts";

const NAMESPACES = {
  "xmlns:cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
  "xmlns:cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
};

/** EN 16931 amounts have at most 2 decimals (BR-DEC-*): a KWD or BHD invoice cannot be one. */
export const ublSupported = en16931Supported;

export function buildUblInvoice(source: EInvoiceSource): string {
  const e = toEn16931(source);
  const amount = (name: string, value: string, code = e.currency) => leaf(name, value, { currencyID: code });
  const lineName = e.credit ? "cac:CreditNoteLine" : "cac:InvoiceLine";
  const quantityName = e.credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity";
  const lineNodes = e.lines.map((line) =>
    node(
      lineName,
      leaf("cbc:ID", line.id),
      leaf(quantityName, line.quantity, { unitCode: line.unitCode }),
      amount("cbc:LineExtensionAmount", line.net),
      period(line.period),
      node(
        "cac:Item",
        leaf("cbc:Description", line.description),
        leaf("cbc:Name", line.name),
        taxCategory("cac:ClassifiedTaxCategory", line),
      ),
      node(
        "cac:Price",
        amount("cbc:PriceAmount", line.price),
        line.baseQuantity
          ? leaf("cbc:BaseQuantity", line.baseQuantity, { unitCode: line.unitCode })
          : undefined,
      ),
    ),
  );
  const means = e.paymentMeans;

  const children: XmlNode[] = [
    leaf("cbc:CustomizationID", e.customizationId),
    leaf("cbc:ID", e.number),
    leaf("cbc:IssueDate", e.issueDate),
    e.credit ? undefined : leaf("cbc:DueDate", e.dueDate),
    leaf(e.credit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode", e.typeCode),
    // UBL has no note subject: the EN 16931 binding writes it as "#SUBJECT#text".
    ...e.notes.map((note) => leaf("cbc:Note", note.subject ? `#${note.subject}#${note.text}` : note.text)),
    leaf("cbc:DocumentCurrencyCode", e.currency),
    leaf("cbc:TaxCurrencyCode", e.taxCurrency?.code),
    node(
      "cac:InvoicePeriod",
      leaf("cbc:StartDate", e.period.start),
      leaf("cbc:EndDate", e.period.end),
      leaf("cbc:DescriptionCode", e.period.vatPointCode?.ubl),
    ),
    node("cac:OrderReference", leaf("cbc:ID", e.orderReference)),
    e.preceding
      ? node(
          "cac:BillingReference",
          node(
            "cac:InvoiceDocumentReference",
            leaf("cbc:ID", e.preceding.number),
            leaf("cbc:IssueDate", e.preceding.issueDate),
          ),
        )
      : undefined,
    e.verifactu
      ? node(
          "cac:AdditionalDocumentReference",
          leaf("cbc:ID", e.verifactu.id),
          leaf("cbc:DocumentDescription", e.verifactu.description),
          node("cac:Attachment", node("cac:ExternalReference", leaf("cbc:URI", e.verifactu.url))),
        )
      : undefined,
    node("cac:AccountingSupplierParty", party(e.seller)),
    node("cac:AccountingCustomerParty", party(e.buyer)),
    e.deliverTo
      ? node(
          "cac:Delivery",
          node("cac:DeliveryLocation", postalAddress("cac:Address", e.deliverTo.address)),
          node("cac:DeliveryParty", node("cac:PartyName", leaf("cbc:Name", e.deliverTo.name))),
        )
      : undefined,
    means
      ? node(
          "cac:PaymentMeans",
          leaf("cbc:PaymentMeansCode", means.code),
          e.credit ? leaf("cbc:PaymentDueDate", e.dueDate) : undefined,
          leaf("cbc:PaymentID", means.reference),
          means.account
            ? node(
                "cac:PayeeFinancialAccount",
                leaf("cbc:ID", means.account.iban),
                leaf("cbc:Name", means.account.name),
                node("cac:FinancialInstitutionBranch", leaf("cbc:ID", means.account.bic)),
              )
            : undefined,
        )
      : undefined,
    node("cac:PaymentTerms", leaf("cbc:Note", e.paymentTerms)),
    node(
      "cac:TaxTotal",
      amount("cbc:TaxAmount", e.totals.vat),
      ...e.vatBreakdown.map((row) =>
        node(
          "cac:TaxSubtotal",
          amount("cbc:TaxableAmount", row.base),
          amount("cbc:TaxAmount", row.vat),
          taxCategory("cac:TaxCategory", row),
        ),
      ),
    ),
    // VAT in the accounting currency (BT-111), e.g. euros for a Spanish invoice in dollars.
    e.taxCurrency
      ? node("cac:TaxTotal", amount("cbc:TaxAmount", e.taxCurrency.vat, e.taxCurrency.code))
      : undefined,
    node(
      "cac:LegalMonetaryTotal",
      amount("cbc:LineExtensionAmount", e.totals.lineTotal),
      amount("cbc:TaxExclusiveAmount", e.totals.taxExclusive),
      amount("cbc:TaxInclusiveAmount", e.totals.taxInclusive),
      e.totals.prepaid ? amount("cbc:PrepaidAmount", e.totals.prepaid) : undefined,
      amount("cbc:PayableAmount", e.totals.payable),
    ),
    ...lineNodes,
  ];
  const root = e.credit ? "CreditNote" : "Invoice";
  return rootElement(
    root,
    { xmlns: `urn:oasis:names:specification:ubl:schema:xsd:${root}-2`, ...NAMESPACES },
    ...children,
  );
}

function party(p: En16931Party) {
  return node(
    "cac:Party",
    p.electronicAddress
      ? leaf("cbc:EndpointID", p.electronicAddress.id, { schemeID: p.electronicAddress.scheme })
      : undefined,
    node("cac:PartyName", leaf("cbc:Name", p.tradeName)),
    postalAddress("cac:PostalAddress", p.address),
    taxScheme(p.vatId, "VAT"),
    taxScheme(p.taxRegistrationId, "NIF"),
    node(
      "cac:PartyLegalEntity",
      leaf("cbc:RegistrationName", p.name),
      p.legalId
        ? leaf("cbc:CompanyID", p.legalId.id, p.legalId.scheme ? { schemeID: p.legalId.scheme } : {})
        : undefined,
      leaf("cbc:CompanyLegalForm", p.legalInfo),
    ),
    node("cac:Contact", leaf("cbc:Telephone", p.phone), leaf("cbc:ElectronicMail", p.email)),
  );
}

function postalAddress(name: string, a: En16931Party["address"]) {
  return node(
    name,
    leaf("cbc:StreetName", a.line1),
    leaf("cbc:AdditionalStreetName", a.line2),
    leaf("cbc:CityName", a.city),
    leaf("cbc:PostalZone", a.postcode),
    node("cac:Country", leaf("cbc:IdentificationCode", a.country)),
  );
}

function period(p: En16931Line["period"]) {
  return node("cac:InvoicePeriod", leaf("cbc:StartDate", p.start), leaf("cbc:EndDate", p.end));
}

/** A VAT category: a line's (BG-30) or a breakdown row's (BG-23, which may give an exemption reason). */
function taxCategory(
  name: string,
  vat: { category: string; ratePercent?: string | undefined; exemptionReason?: string | undefined },
) {
  return node(
    name,
    leaf("cbc:ID", vat.category),
    leaf("cbc:Percent", vat.ratePercent),
    leaf("cbc:TaxExemptionReason", vat.exemptionReason),
    node("cac:TaxScheme", leaf("cbc:ID", "VAT")),
  );
}

function taxScheme(companyId: string | undefined, scheme: string) {
  return companyId
    ? node(
        "cac:PartyTaxScheme",
        leaf("cbc:CompanyID", companyId),
        node("cac:TaxScheme", leaf("cbc:ID", scheme)),
      )
    : undefined;
}
