import { describe, expect, it } from "vitest";
import { buildCiiInvoice } from "../../src/einvoice/cii-invoice.ts";
import { renderPdfInThread } from "../../src/pdf/render-invoice.ts";
import { EINVOICE_MATRIX as documents } from "../helpers/einvoice-matrix.ts";
import { en16931Unavailable, validateCii } from "../helpers/en16931.ts";
import { readPdfStructure } from "../helpers/pdf-structure.ts";
import { pdfText } from "../helpers/printable-invoice.ts";

const facturX = (name: string) => {
  const doc = documents[name]!;
  return renderPdfInThread({
    invoice: doc.invoice,
    lines: [...doc.lines],
    options: { correctsNumber: doc.preceding?.number },
    facturX: { xml: buildCiiInvoice(doc), issueDate: doc.invoice.issueDate! },
  });
};

describe("Factur-X (EN 16931)", () => {
  it("is a PDF/A-3b with the CII attached as factur-x.xml and every font embedded", async () => {
    const pdf = await facturX("fr-b2b-two-rates-and-exempt");
    const structure = readPdfStructure(pdf);

    expect(structure.version).toBe("1.7");
    const xmp = structure.xmp ?? "";
    expect(xmp).toContain("<pdfaid:part>3</pdfaid:part>");
    expect(xmp).toContain("<pdfaid:conformance>B</pdfaid:conformance>");
    expect(xmp).toContain('xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"');
    expect(xmp).toContain("<fx:DocumentType>INVOICE</fx:DocumentType>");
    expect(xmp).toContain("<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>");
    expect(xmp).toContain("<fx:Version>1.0</fx:Version>");
    expect(xmp).toContain("<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>");
    // The extension schema that PDF/A requires for the fx: properties.
    expect(xmp).toContain(
      "<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>",
    );

    expect(structure.outputIntents).toEqual([
      { subtype: "GTS_PDFA1", identifier: "sRGB IEC61966-2.1", profileComponents: 3 },
    ]);
    expect(structure.attachments.map(({ content, ...a }) => a)).toEqual([
      { name: "factur-x.xml", relationship: "Data", subtype: "text/xml", associated: true },
    ]);
    const xml = structure.attachments[0]?.content.toString("utf8") ?? "";
    expect(xml).toBe(buildCiiInvoice(documents["fr-b2b-two-rates-and-exempt"]!));

    expect(structure.fonts.length).toBeGreaterThan(0);
    expect(structure.fonts.filter((f) => !f.embedded)).toEqual([]);

    // The page shows the figures the XML carries.
    expect(xml).toContain("<ram:GrandTotalAmount>1384.91</ram:GrandTotalAmount>");
    expect((await pdfText(pdf)).all).toContain("Total TTC 1 384,91 €");
  });

  it("carries every line of a multi-page invoice in the XML it embeds, and the page totals match it", async () => {
    const pdf = await facturX("multi-page");
    const { pages, all } = await pdfText(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.at(-1)).toContain("Ticket #1089");

    const xml = readPdfStructure(pdf).attachments[0]?.content.toString("utf8") ?? "";
    expect(xml.match(/<ram:IncludedSupplyChainTradeLineItem>/g)?.length).toBe(90);
    expect(xml).toContain("<ram:LineID>90</ram:LineID>");
    const grandTotal = /<ram:GrandTotalAmount>([\d.]+)</.exec(xml)?.[1] ?? "";
    const [euros = "", cents = ""] = grandTotal.split(".");
    const printed = `${euros.replace(/\B(?=(\d{3})+$)/g, "\u202f")},${cents} €`;
    expect(all.replace(/[\u00a0\u202f ]/g, " ")).toContain(`Total TTC ${printed.replace(/\u202f/g, " ")}`);
  });

  it("prints the delivery address and the VAT-on-debits option the XML carries", async () => {
    const { all } = await pdfText(await facturX("fr-vat-on-debits-delivered-elsewhere"));
    expect(all).toContain("Adresse de livraison: Zone industrielle Nord, 69120 Vaulx-en-Velin, FR");
    expect(all).toContain("Option pour le paiement de la taxe d'après les débits.");
  });

  it("leaves a plain PDF plain", async () => {
    const doc = documents["es-irpf-in-dollars"]!;
    const plain = readPdfStructure(
      await renderPdfInThread({ invoice: doc.invoice, lines: [...doc.lines], options: {} }),
    );
    expect(plain.version).toBe("1.3");
    expect(plain.attachments).toEqual([]);
    expect(plain.xmp).toBeUndefined();
  });

  const unavailable = en16931Unavailable();
  if (unavailable && process.env.COBRO_REQUIRE_EN16931 === "1") {
    throw new Error(`COBRO_REQUIRE_EN16931 is set but ${unavailable}`);
  }
  it.skipIf(unavailable !== null)(
    `carries XML that passes the official CEN CII rules, read back from the PDF bytes${unavailable ? ` (skipped: ${unavailable})` : ""}`,
    async () => {
      const embedded: Record<string, string> = {};
      for (const name of Object.keys(documents)) {
        const structure = readPdfStructure(await facturX(name));
        const [attachment] = structure.attachments;
        expect({ name, file: attachment?.name, relationship: attachment?.relationship }).toEqual({
          name,
          file: "factur-x.xml",
          relationship: "Data",
        });
        expect({ name, unembedded: structure.fonts.filter((f) => !f.embedded) }).toEqual({
          name,
          unembedded: [],
        });
        embedded[name] = attachment?.content.toString("utf8") ?? "";
      }
      const failed = await validateCii(embedded);
      expect(Object.keys(failed).sort()).toEqual(Object.keys(documents).sort());
      for (const [name, rules] of Object.entries(failed)) {
        // 0 failed asserts: not an error, not a warning.
        expect({ name, failed: rules }).toEqual({ name, failed: [] });
      }
      const broken = embedded["credit-note"]!.replace(
        /<ram:TaxBasisTotalAmount>[\d.]+</,
        "<ram:TaxBasisTotalAmount>1.00<",
      );
      const [rules] = Object.values(await validateCii({ broken }));
      expect(rules?.map((r) => r.id)).toContain("BR-CO-15");
    },
    120_000,
  );
});
