import { describe, expect, it } from "vitest";
import { buildInvoicePdfModel, type PrintableInvoice } from "../../src/pdf/invoice-model.ts";
import { renderInvoicePdf } from "../../src/pdf/render-invoice.ts";
import { issued, pdfText, SEVEN_MINUTES_LINE } from "../helpers/printable-invoice.ts";

const ES_SELLER = {
  legalName: "Lucía Gómez Consultoría",
  nif: "12345678Z",
  vatId: "ES12345678Z",
  address: { line1: "Calle Mayor 1", postcode: "28013", city: "Madrid", country: "ES" },
  iban: "ES9121000418450200051332",
};

describe("invoice PDF", () => {
  it("carries every French B2B mention", async () => {
    const { invoice, lines } = issued({}, [
      { description: "Développement", quantityMilli: 7500, unitPriceMinor: 9000, vatRateBp: 2000 },
      {
        description: "Formation",
        quantityMilli: 1000,
        unitPriceMinor: 50_000,
        vatRateBp: 0,
        vatCategory: "E",
        exemptionReason: "Exonération de TVA, article 261-4-4° du CGI",
      },
    ]);
    const { all, pages } = await pdfText(
      await renderInvoicePdf(buildInvoicePdfModel(invoice, lines, { latePenaltyRateBp: 1225 })),
    );
    expect(pages).toHaveLength(1);
    for (const expected of [
      "FACTURE",
      "F-2026-00042",
      "Atelier Durand SAS",
      "SAS au capital de 10 000 €",
      "SIREN 123456789",
      "RCS Paris 123 456 789",
      "N° TVA FR32123456789",
      "Client Industriel SA",
      "N° TVA FR40303265045",
      "Date d'émission: 23/11/2026",
      "Période de la prestation: 01/11/2026 – 30/11/2026",
      "Date d'échéance: 23/12/2026",
      "Développement",
      "7,5 h",
      "Total HT",
      "1 175,00 €",
      "135,00 €", // 20 % of 675.00
      "Total TTC",
      "1 310,00 €",
      "Exonération de TVA, article 261-4-4° du CGI",
      "30 jours date de facture",
      "IBAN FR7630006000011234567890189",
      "BIC AGRIFRPP",
      "Référence de paiement: RF93 F202 6000 42",
      "https://pay.example/inv",
      "majoré de 10 points (soit 12,25 %)",
      "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €",
      "Escompte pour paiement anticipé : néant",
      "Page 1/1",
    ]) {
      expect(all.replace(/\u202f|\u00a0/g, " ")).toContain(expected);
    }
  });

  it("prints a Spanish invoice with IRPF and no late-payment wording", async () => {
    const { invoice, lines } = issued(
      {
        seller: ES_SELLER,
        buyer: {
          name: "Empresa Cliente SL",
          address: { line1: "Gran Vía 2", postcode: "28013", city: "Madrid", country: "ES" },
          country: "ES",
          taxId: "B87654321",
          emails: ["pagos@cliente.example"],
          language: "es",
          profile: "business",
        },
        withholdingRateBp: 1500,
      },
      [{ description: "Consultoría", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2100 }],
    );
    const { all } = await pdfText(await renderInvoicePdf(buildInvoicePdfModel(invoice, lines)));
    const text = all.replace(/\u202f|\u00a0/g, " ");
    for (const expected of [
      "FACTURA",
      "NIF 12345678Z",
      "NIF B87654321",
      "Fecha de expedición: 23/11/2026",
      "Base imponible",
      "1000,00 €",
      "210,00 €",
      "Retención IRPF (15 %)",
      "-150,00 €",
      "Total a pagar",
      "1060,00 €",
      "Retención IRPF del 15 % sobre la base imponible.",
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain("40 €");
  });

  it("prints a time line in minutes at a price per 60 minutes, so quantity × price is the line total", async () => {
    const { invoice, lines } = issued({}, [SEVEN_MINUTES_LINE]);
    const { all } = await pdfText(await renderInvoicePdf(buildInvoicePdfModel(invoice, lines)));
    // 7 min × €100.00 / 60 min = €11.666… → €11.67 (a 0.117 h quantity would have printed €11.70).
    expect(all).toContain("7 min");
    expect(all).toContain("100,00 € / 60 min");
    expect(all).toContain("11,67 €");
    expect(all).not.toContain("11,70 €");
  });

  it("words a credit note in English with the original number, and splits 80 lines over pages", async () => {
    const specs = Array.from({ length: 80 }, (_, i) => ({
      description: `Support ticket #${i + 1}`,
      quantityMilli: 250,
      unitPriceMinor: 12_000,
      vatRateBp: 2000,
    }));
    const { invoice, lines } = issued(
      {
        kind: "credit_note",
        number: "AV-2026-0003",
        correctionReason: "Tickets billed twice",
        buyer: {
          name: "Globex Ltd",
          address: { line1: "1 King St", postcode: "EC2V 8AU", city: "London", country: "GB" },
          country: "GB",
          taxId: "GB123456789",
          emails: [],
          language: "en",
          profile: "business",
        },
      },
      specs,
    );
    const bytes = await renderInvoicePdf(
      buildInvoicePdfModel(invoice, lines, { correctsNumber: "F-2026-00042" }),
    );
    const { pages, all } = await pdfText(bytes);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages[0]).toContain(`Page 1/${pages.length}`);
    expect(pages.at(-1)).toContain(`Page ${pages.length}/${pages.length}`);
    // The header and column titles repeat on every page.
    for (const page of pages) expect(page).toMatch(/CREDIT NOTE.*AV-2026-0003/);
    for (const page of pages) expect(page).toContain("Unit price");
    expect(all).toContain("Support ticket #80");
    expect(all).toContain("Credit note correcting invoice no. F-2026-00042 (Tickets billed twice)");
    expect(all).toContain("Amount credited");
    expect(all).toContain("€2,880.00"); // 80 × 0.25 × 120.00 × 1.2
  });

  it("reads back ligatures and characters outside the usual alphabets, in later documents too", async () => {
    // Every PDF of the process embeds one shared, growing font subset: a document that brings new
    // glyphs (Greek, Cyrillic) must not break the text of the documents rendered after it.
    const render = async (description: string, buyerName: string) => {
      const { invoice, lines } = issued({}, [
        { description, quantityMilli: 1000, unitPriceMinor: 10_000, vatRateBp: 2000 },
      ]);
      const withBuyer = { ...invoice, buyer: { ...invoice.buyer, name: buyerName } } as PrintableInvoice;
      return (await pdfText(await renderInvoicePdf(buildInvoicePdfModel(withBuyer, lines)))).all;
    };
    const first = await render("Affiche officielle et efficacité", "Ωμέγα Σύμβουλοι ΑΕ");
    expect(first).toContain("Affiche officielle et efficacité");
    expect(first).toContain("Ωμέγα Σύμβουλοι ΑΕ");
    const second = await render("Диагностика — Łódź, Ørsted, Dvořák", "Çağlar İnşaat A.Ş.");
    expect(second).toContain("Диагностика — Łódź, Ørsted, Dvořák");
    expect(second).toContain("Çağlar İnşaat A.Ş.");
    const third = await render("Définition du périmètre", "Ωμέγα Σύμβουλοι ΑΕ");
    expect(third).toContain("Définition du périmètre");
    expect(third).toContain("Ωμέγα Σύμβουλοι ΑΕ");
  });
});
