import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { buildCiiInvoice } from "../../src/einvoice/cii-invoice.ts";
import { EINVOICE_MATRIX as documents } from "../helpers/einvoice-matrix.ts";
import { en16931Unavailable, validateCii } from "../helpers/en16931.ts";

describe("CII e-invoice (EN 16931)", () => {
  it("carries the invoice's figures where the CII puts them", () => {
    const xml = buildCiiInvoice(documents["es-irpf-in-dollars"]!);
    expect(xml).toContain("<rsm:CrossIndustryInvoice xmlns:rsm=");
    expect(xml).toContain("<ram:ID>urn:cen.eu:en16931:2017</ram:ID>");
    expect(xml).toContain("<ram:InvoiceCurrencyCode>USD</ram:InvoiceCurrencyCode>");
    expect(xml).toContain("<ram:TaxCurrencyCode>EUR</ram:TaxCurrencyCode>");
    // 1,000.00 + 21 % = 1,210.00 USD; the VAT in euros at 0.9234 is 193.91.
    expect(xml).toContain("<ram:GrandTotalAmount>1210.00</ram:GrandTotalAmount>");
    expect(xml).toContain('<ram:TaxTotalAmount currencyID="EUR">193.91</ram:TaxTotalAmount>');
    // What the client transfers: the total less the IRPF it pays to the tax office (BT-113).
    expect(xml).toContain("<ram:TotalPrepaidAmount>150.00</ram:TotalPrepaidAmount>");
    expect(xml).toContain("<ram:DuePayableAmount>1060.00</ram:DuePayableAmount>");
    expect(xml).toContain("<ram:PaymentReference>RF68F202600007</ram:PaymentReference>");
    expect(xml).toContain('<ram:ID schemeID="VA">ESB12345678</ram:ID>');
    // The Spanish seller has no EU VAT number: its NIF is its tax registration (BT-32).
    expect(xml).toContain('<ram:ID schemeID="FC">12345678Z</ram:ID>');

    const credit = buildCiiInvoice(documents["credit-note"]!);
    expect(credit).toContain("<ram:TypeCode>381</ram:TypeCode>");
    expect(credit).toMatch(
      /<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>F-2026-00042<\/ram:IssuerAssignedID><ram:FormattedIssueDateTime><qdt:DateTimeString format="102">20261102</,
    );

    const yen = buildCiiInvoice(documents["yen-no-decimals"]!);
    expect(yen).toContain("<ram:InvoiceCurrencyCode>JPY</ram:InvoiceCurrencyCode>");
    expect(yen).toMatch(/<ram:GrandTotalAmount>\d+<\/ram:GrandTotalAmount>/);
  });

  it("carries a Spanish invoice's VERI*FACTU cotejo URL as a supporting document (BG-24, Orden HAC/1177/2024 art. 20.2)", () => {
    const doc = documents["es-verifactu-record"]!;
    const parsed = new XMLParser({ removeNSPrefix: true }).parse(buildCiiInvoice(doc));
    const agreement = parsed.CrossIndustryInvoice.SupplyChainTradeTransaction.ApplicableHeaderTradeAgreement;
    expect(agreement.AdditionalReferencedDocument).toEqual({
      IssuerAssignedID: "VERI*FACTU",
      URIID: doc.verifactuUrl,
      TypeCode: 916,
      Name: "Factura verificable en la sede electrónica de la AEAT",
    });
  });

  it("carries what the French profile asks: payment notes by subject, VAT due date, delivery address, type", () => {
    const xml = buildCiiInvoice(documents["fr-vat-on-debits-delivered-elsewhere"]!);
    expect(xml).toMatch(/<ram:Content>Pénalités de retard [^<]*<\/ram:Content><ram:SubjectCode>PMD</);
    expect(xml).toMatch(
      /<ram:Content>Indemnité forfaitaire [^<]*40 €[^<]*<\/ram:Content><ram:SubjectCode>PMT</,
    );
    expect(xml).toMatch(
      /<ram:Content>Escompte pour paiement anticipé : néant.<\/ram:Content><ram:SubjectCode>AAB</,
    );
    // VAT on debits: due on the invoice date (BT-8 code 5); otherwise on payment (72).
    expect(xml).toContain("<ram:DueDateTypeCode>5</ram:DueDateTypeCode>");
    expect(buildCiiInvoice(documents["fr-b2b-two-rates-and-exempt"]!)).toContain(
      "<ram:DueDateTypeCode>72</ram:DueDateTypeCode>",
    );
    expect(xml).toContain(
      "<ram:ShipToTradeParty><ram:Name>Client Industriel SA</ram:Name><ram:PostalTradeAddress><ram:PostcodeCode>69120</ram:PostcodeCode><ram:LineOne>Zone industrielle Nord</ram:LineOne><ram:CityName>Vaulx-en-Velin</ram:CityName><ram:CountryID>FR</ram:CountryID>",
    );
    expect(xml).toContain('<ram:URIID schemeID="0009">30326504500017</ram:URIID>');
    // The French list of document types has no debit note: the interest note is an invoice (380).
    expect(buildCiiInvoice(documents["interest-note"]!)).toContain("<ram:TypeCode>380</ram:TypeCode>");
    // A Spanish seller's payment notes carry no French subjects, and its VAT due date is not stated.
    const spanish = buildCiiInvoice(documents["es-irpf-in-dollars"]!);
    expect(spanish).not.toContain("<ram:SubjectCode>");
    expect(spanish).not.toContain("<ram:DueDateTypeCode>");
  });

  it("escapes what a client typed", () => {
    const base = documents["fr-b2b-two-rates-and-exempt"]!;
    const xml = buildCiiInvoice({
      ...base,
      invoice: { ...base.invoice, buyer: { ...base.invoice.buyer!, name: 'Dupont & Fils <"SARL">' } },
    });
    expect(xml).toContain("<ram:Name>Dupont &amp; Fils &lt;&quot;SARL&quot;&gt;</ram:Name>");
    // A control character pasted into a field cannot be carried by XML 1.0 at all: it is dropped.
    const pasted = buildCiiInvoice({
      ...base,
      invoice: { ...base.invoice, buyer: { ...base.invoice.buyer!, name: "Acme\u0007 SA" } },
    });
    expect(pasted).toContain("<ram:Name>Acme SA</ram:Name>");
  });

  const unavailable = en16931Unavailable();
  if (unavailable && process.env.COBRO_REQUIRE_EN16931 === "1") {
    throw new Error(`COBRO_REQUIRE_EN16931 is set but ${unavailable}`);
  }
  it.skipIf(unavailable !== null)(
    `passes the official EN 16931 CII rules for every kind of document${unavailable ? ` (skipped: ${unavailable})` : ""}`,
    async () => {
      const xml = Object.fromEntries(
        Object.entries(documents).map(([name, doc]) => [name, buildCiiInvoice(doc)]),
      );
      const failed = await validateCii(xml);
      expect(Object.keys(failed).sort()).toEqual(Object.keys(documents).sort());
      for (const [name, rules] of Object.entries(failed)) {
        // 0 failed asserts: not an error, not a warning.
        expect({ name, failed: rules }).toEqual({ name, failed: [] });
      }
      // The rules do bite: a wrong total is caught.
      const broken = xml["fr-b2b-two-rates-and-exempt"]!.replace(
        /<ram:DuePayableAmount>[\d.]+</,
        "<ram:DuePayableAmount>1.00<",
      );
      const [rules] = Object.values(await validateCii({ broken }));
      expect(rules?.map((r) => r.id)).toContain("BR-CO-16");
    },
    120_000,
  );
});
