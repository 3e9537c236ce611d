// An issued invoice as a UN/CEFACT CII (D16B) e-invoice following EN 16931: the CII serialisation of
// the EN 16931 terms (en16931-terms.ts) the UBL reads too; the XML Factur-X embeds in the PDF.
// Element order follows the CII schema, which validators check.
import {
  type EInvoiceSource,
  type En16931Invoice,
  type En16931Line,
  type En16931Party,
  toEn16931,
} from "./en16931-terms.ts";
import { emptyElement, leaf, node, rootElement } from "./xml.ts";

const NAMESPACES = {
  "xmlns:rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
  "xmlns:ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
  "xmlns:qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
  "xmlns:udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
};

export function buildCiiInvoice(source: EInvoiceSource): string {
  return serialiseCii(toEn16931(source));
}

export function serialiseCii(e: En16931Invoice): string {
  const amount = (name: string, value: string) => leaf(name, value);
  const means = e.paymentMeans;
  return rootElement(
    "rsm:CrossIndustryInvoice",
    NAMESPACES,
    node(
      "rsm:ExchangedDocumentContext",
      node("ram:GuidelineSpecifiedDocumentContextParameter", leaf("ram:ID", e.customizationId)),
    ),
    node(
      "rsm:ExchangedDocument",
      leaf("ram:ID", e.number),
      leaf("ram:TypeCode", e.typeCode),
      node("ram:IssueDateTime", date("udt", e.issueDate)),
      ...e.notes.map((note) =>
        node("ram:IncludedNote", leaf("ram:Content", note.text), leaf("ram:SubjectCode", note.subject)),
      ),
    ),
    node(
      "rsm:SupplyChainTradeTransaction",
      ...e.lines.map(lineItem),
      node(
        "ram:ApplicableHeaderTradeAgreement",
        party("ram:SellerTradeParty", e.seller),
        party("ram:BuyerTradeParty", e.buyer),
        node("ram:BuyerOrderReferencedDocument", leaf("ram:IssuerAssignedID", e.orderReference)),
        e.verifactu
          ? node(
              "ram:AdditionalReferencedDocument",
              leaf("ram:IssuerAssignedID", e.verifactu.id),
              leaf("ram:URIID", e.verifactu.url),
              leaf("ram:TypeCode", "916"),
              leaf("ram:Name", e.verifactu.description),
            )
          : undefined,
      ),
      // Required by the schema even when it says nothing.
      node(
        "ram:ApplicableHeaderTradeDelivery",
        e.deliverTo
          ? node(
              "ram:ShipToTradeParty",
              leaf("ram:Name", e.deliverTo.name),
              postalAddress(e.deliverTo.address),
            )
          : undefined,
      ) ?? emptyElement("ram:ApplicableHeaderTradeDelivery"),
      node(
        "ram:ApplicableHeaderTradeSettlement",
        leaf("ram:PaymentReference", means?.reference),
        leaf("ram:TaxCurrencyCode", e.taxCurrency?.code),
        leaf("ram:InvoiceCurrencyCode", e.currency),
        means
          ? node(
              "ram:SpecifiedTradeSettlementPaymentMeans",
              leaf("ram:TypeCode", means.code),
              means.account
                ? node(
                    "ram:PayeePartyCreditorFinancialAccount",
                    leaf("ram:IBANID", means.account.iban),
                    leaf("ram:AccountName", means.account.name),
                  )
                : undefined,
              node("ram:PayeeSpecifiedCreditorFinancialInstitution", leaf("ram:BICID", means.account?.bic)),
            )
          : undefined,
        ...e.vatBreakdown.map((row) =>
          node(
            "ram:ApplicableTradeTax",
            amount("ram:CalculatedAmount", row.vat),
            leaf("ram:TypeCode", "VAT"),
            leaf("ram:ExemptionReason", row.exemptionReason),
            amount("ram:BasisAmount", row.base),
            leaf("ram:CategoryCode", row.category),
            leaf("ram:DueDateTypeCode", e.period.vatPointCode?.cii),
            leaf("ram:RateApplicablePercent", row.ratePercent),
          ),
        ),
        period(e.period),
        node(
          "ram:SpecifiedTradePaymentTerms",
          leaf("ram:Description", e.paymentTerms),
          e.dueDate ? node("ram:DueDateDateTime", date("udt", e.dueDate)) : undefined,
        ),
        node(
          "ram:SpecifiedTradeSettlementHeaderMonetarySummation",
          amount("ram:LineTotalAmount", e.totals.lineTotal),
          amount("ram:TaxBasisTotalAmount", e.totals.taxExclusive),
          leaf("ram:TaxTotalAmount", e.totals.vat, { currencyID: e.currency }),
          // VAT in the accounting currency (BT-111), e.g. euros for a Spanish invoice in dollars.
          e.taxCurrency
            ? leaf("ram:TaxTotalAmount", e.taxCurrency.vat, { currencyID: e.taxCurrency.code })
            : undefined,
          amount("ram:GrandTotalAmount", e.totals.taxInclusive),
          e.totals.prepaid ? amount("ram:TotalPrepaidAmount", e.totals.prepaid) : undefined,
          amount("ram:DuePayableAmount", e.totals.payable),
        ),
        e.preceding
          ? node(
              "ram:InvoiceReferencedDocument",
              leaf("ram:IssuerAssignedID", e.preceding.number),
              e.preceding.issueDate
                ? node("ram:FormattedIssueDateTime", date("qdt", e.preceding.issueDate))
                : undefined,
            )
          : undefined,
      ),
    ),
  );
}

function lineItem(line: En16931Line) {
  return node(
    "ram:IncludedSupplyChainTradeLineItem",
    node("ram:AssociatedDocumentLineDocument", leaf("ram:LineID", line.id)),
    node("ram:SpecifiedTradeProduct", leaf("ram:Name", line.name), leaf("ram:Description", line.description)),
    node(
      "ram:SpecifiedLineTradeAgreement",
      node(
        "ram:NetPriceProductTradePrice",
        leaf("ram:ChargeAmount", line.price),
        line.baseQuantity
          ? leaf("ram:BasisQuantity", line.baseQuantity, { unitCode: line.unitCode })
          : undefined,
      ),
    ),
    node(
      "ram:SpecifiedLineTradeDelivery",
      leaf("ram:BilledQuantity", line.quantity, { unitCode: line.unitCode }),
    ),
    node(
      "ram:SpecifiedLineTradeSettlement",
      node(
        "ram:ApplicableTradeTax",
        leaf("ram:TypeCode", "VAT"),
        leaf("ram:CategoryCode", line.category),
        leaf("ram:RateApplicablePercent", line.ratePercent),
      ),
      period(line.period),
      node("ram:SpecifiedTradeSettlementLineMonetarySummation", leaf("ram:LineTotalAmount", line.net)),
    ),
  );
}

function party(name: string, p: En16931Party) {
  return node(
    name,
    leaf("ram:Name", p.name),
    leaf("ram:Description", p.legalInfo),
    node(
      "ram:SpecifiedLegalOrganization",
      p.legalId
        ? leaf("ram:ID", p.legalId.id, p.legalId.scheme ? { schemeID: p.legalId.scheme } : {})
        : undefined,
      leaf("ram:TradingBusinessName", p.tradeName),
    ),
    node(
      "ram:DefinedTradeContact",
      node("ram:TelephoneUniversalCommunication", leaf("ram:CompleteNumber", p.phone)),
      node("ram:EmailURIUniversalCommunication", leaf("ram:URIID", p.email)),
    ),
    postalAddress(p.address),
    p.electronicAddress
      ? node(
          "ram:URIUniversalCommunication",
          leaf("ram:URIID", p.electronicAddress.id, { schemeID: p.electronicAddress.scheme }),
        )
      : undefined,
    node("ram:SpecifiedTaxRegistration", leaf("ram:ID", p.vatId, { schemeID: "VA" })),
    node("ram:SpecifiedTaxRegistration", leaf("ram:ID", p.taxRegistrationId, { schemeID: "FC" })),
  );
}

function postalAddress(a: En16931Party["address"]) {
  return node(
    "ram:PostalTradeAddress",
    leaf("ram:PostcodeCode", a.postcode),
    leaf("ram:LineOne", a.line1),
    leaf("ram:LineTwo", a.line2),
    leaf("ram:CityName", a.city),
    leaf("ram:CountryID", a.country),
  );
}

function period(p: En16931Invoice["period"]) {
  return node(
    "ram:BillingSpecifiedPeriod",
    p.start ? node("ram:StartDateTime", date("udt", p.start)) : undefined,
    p.end ? node("ram:EndDateTime", date("udt", p.end)) : undefined,
  );
}

/** CII dates are YYYYMMDD (format 102). */
function date(prefix: "udt" | "qdt", isoDate: string) {
  return leaf(`${prefix}:DateTimeString`, isoDate.replaceAll("-", ""), { format: "102" });
}
