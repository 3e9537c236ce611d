import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { isDomainError } from "../../src/domain/errors.ts";
import { buildUblInvoice } from "../../src/einvoice/ubl-invoice.ts";
import { EINVOICE_MATRIX as documents, source } from "../helpers/einvoice-matrix.ts";
import { en16931Unavailable, validateUbl } from "../helpers/en16931.ts";
import { issued } from "../helpers/printable-invoice.ts";

function userMessageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isDomainError(error)) return error.userMessage;
    throw error;
  }
  throw new Error("did not throw");
}

describe("UBL e-invoice (EN 16931)", () => {
  it("carries the invoice's figures where the standard puts them", () => {
    const xml = buildUblInvoice(documents["es-irpf-in-dollars"]!);
    expect(xml).toContain("<cbc:ID>F-2026-00007</cbc:ID>");
    expect(xml).toContain("<cbc:DocumentCurrencyCode>USD</cbc:DocumentCurrencyCode>");
    expect(xml).toContain("<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>");
    // 1,000.00 + 21 % = 1,210.00 USD; the VAT in euros at 0.9234 is 193.91.
    expect(xml).toContain('<cbc:TaxInclusiveAmount currencyID="USD">1210.00</cbc:TaxInclusiveAmount>');
    expect(xml).toContain('<cbc:TaxAmount currencyID="EUR">193.91</cbc:TaxAmount>');
    expect(xml).toContain("<cbc:CompanyID>ESB12345678</cbc:CompanyID>");
    expect(xml).toContain("Retención IRPF 15 %: -150.00 USD. Total a pagar: 1060.00 USD.");
    // What the client transfers: the total less the IRPF it pays to the tax office (BT-113).
    expect(xml).toContain('<cbc:PrepaidAmount currencyID="USD">150.00</cbc:PrepaidAmount>');
    expect(xml).toContain('<cbc:PayableAmount currencyID="USD">1060.00</cbc:PayableAmount>');
    // BT-83: the ISO 11649 reference the payer's bank carries to the statement Cobro matches.
    expect(xml).toContain("<cbc:PaymentID>RF68F202600007</cbc:PaymentID>");

    const minutes = buildUblInvoice(documents["time-in-minutes-deposit"]!);
    expect(minutes).toContain('<cbc:InvoicedQuantity unitCode="MIN">7</cbc:InvoicedQuantity>');
    expect(minutes).toContain('<cbc:BaseQuantity unitCode="MIN">60</cbc:BaseQuantity>');
    expect(minutes).toContain('<cbc:LineExtensionAmount currencyID="EUR">11.67</cbc:LineExtensionAmount>');

    const credit = buildUblInvoice(documents["credit-note"]!);
    expect(credit).toContain("<CreditNote xmlns=");
    expect(credit).toContain("<cbc:ID>F-2026-00042</cbc:ID><cbc:IssueDate>2026-11-02</cbc:IssueDate>");
  });

  it("carries what the French profile asks: payment notes by subject, VAT due date, delivery address", () => {
    const xml = buildUblInvoice(documents["fr-vat-on-debits-delivered-elsewhere"]!);
    expect(xml).toMatch(/<cbc:Note>#PMD#Pénalités de retard [^<]*<\/cbc:Note>/);
    expect(xml).toMatch(/<cbc:Note>#PMT#Indemnité forfaitaire [^<]*<\/cbc:Note>/);
    expect(xml).toContain("<cbc:Note>#AAB#Escompte pour paiement anticipé : néant.</cbc:Note>");
    expect(xml).toContain(
      "<cbc:EndDate>2026-11-30</cbc:EndDate><cbc:DescriptionCode>3</cbc:DescriptionCode>",
    );
    expect(buildUblInvoice(documents["fr-b2b-two-rates-and-exempt"]!)).toContain(
      "<cbc:DescriptionCode>432</cbc:DescriptionCode>",
    );
    expect(xml).toContain(
      "<cac:Delivery><cac:DeliveryLocation><cac:Address><cbc:StreetName>Zone industrielle Nord</cbc:StreetName><cbc:CityName>Vaulx-en-Velin</cbc:CityName><cbc:PostalZone>69120</cbc:PostalZone>",
    );
    expect(xml).toContain('<cbc:EndpointID schemeID="0009">30326504500017</cbc:EndpointID>');
    // Delivered at the billing address: no delivery block.
    expect(buildUblInvoice(documents["fr-b2b-two-rates-and-exempt"]!)).not.toContain("<cac:Delivery>");
  });

  it("carries a Spanish invoice's VERI*FACTU cotejo URL as a field of its own (Orden HAC/1177/2024 art. 20.2)", () => {
    const doc = documents["es-verifactu-record"]!;
    const parsed = new XMLParser({ removeNSPrefix: true }).parse(buildUblInvoice(doc));
    expect(parsed.Invoice.AdditionalDocumentReference).toEqual({
      ID: "VERI*FACTU",
      DocumentDescription: "Factura verificable en la sede electrónica de la AEAT",
      Attachment: { ExternalReference: { URI: doc.verifactuUrl } },
    });
    // An invoice without a record (a French seller) has none.
    const french = new XMLParser({ removeNSPrefix: true }).parse(
      buildUblInvoice(documents["fr-b2b-two-rates-and-exempt"]!),
    );
    expect(french.Invoice.AdditionalDocumentReference).toBeUndefined();
  });

  it("refuses what EN 16931 cannot carry, saying why", () => {
    const kuwait = source(
      issued({ currency: "KWD" }, [
        { description: "Audit", quantityMilli: 1000, unitPriceMinor: 1_000_000, vatRateBp: 2000 },
      ]),
    );
    expect(userMessageOf(() => buildUblInvoice(kuwait))).toMatch(/at most 2 decimals.*send the PDF/);
    const draft = source(issued({ number: null }, []));
    expect(userMessageOf(() => buildUblInvoice(draft))).toMatch(/Only an issued invoice/);
  });

  const unavailable = en16931Unavailable();
  if (unavailable && process.env.COBRO_REQUIRE_EN16931 === "1") {
    throw new Error(`COBRO_REQUIRE_EN16931 is set but ${unavailable}`);
  }
  it.skipIf(unavailable !== null)(
    `passes the official EN 16931 rules for every kind of document${unavailable ? ` (skipped: ${unavailable})` : ""}`,
    async () => {
      const xml = Object.fromEntries(
        Object.entries(documents).map(([name, doc]) => [name, buildUblInvoice(doc)]),
      );
      const failed = await validateUbl(xml);
      expect(Object.keys(failed).sort()).toEqual(Object.keys(documents).sort());
      for (const [name, rules] of Object.entries(failed)) {
        // 0 failed asserts: not an error, not a warning.
        expect({ name, failed: rules }).toEqual({ name, failed: [] });
      }
      // The rules do bite: a wrong total is caught.
      const broken = xml["fr-b2b-two-rates-and-exempt"]!.replace(
        /<cbc:PayableAmount currencyID="EUR">[\d.]+</,
        '<cbc:PayableAmount currencyID="EUR">1.00<',
      );
      const [rules] = Object.values(await validateUbl({ broken }));
      expect(rules?.map((r) => r.id)).toContain("BR-CO-16");
    },
    120_000,
  );
});
