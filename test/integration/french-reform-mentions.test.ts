// France's e-invoicing reform: a French business client's SIREN is required at issue, and French
// invoices state the nature of the operation and, when the seller opted, VAT on debits — on the PDF
// and in the UBL and CII, which must still pass the official EN 16931 rules.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { clients, invoices, lateInterestRates } from "../../src/db/schema/index.ts";
import { importCsv } from "../../src/imports/import-csv.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { exportEInvoice } from "../../src/invoicing/export-e-invoice.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { renderInvoiceDocument } from "../../src/invoicing/render-invoice-document.ts";
import { modelOf } from "../../src/pdf/render-invoice.ts";
import { changeWorkspaceSettings } from "../../src/workspace/change-workspace-settings.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { en16931Unavailable, validateCii, validateUbl } from "../helpers/en16931.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";
import { pdfText } from "../helpers/printable-invoice.ts";

const FRENCH_SELLER = {
  legalName: "Atelier Durand SAS",
  legalForm: "SAS",
  shareCapital: "10 000 €",
  address: { line1: "10 rue des Lilas", postcode: "75011", city: "Paris", country: "FR" },
  vatId: "FR32123456789",
  siren: "123456789",
  rcs: "RCS Paris 123 456 789",
  iban: "FR7630006000011234567890189",
};
const NATURE = "Nature de l'opération : prestations de services.";
const DEBITS = "Option pour le paiement de la taxe d'après les débits.";

const unavailable = en16931Unavailable();
if (unavailable && process.env.COBRO_REQUIRE_EN16931 === "1") {
  throw new Error(`COBRO_REQUIRE_EN16931 is set but ${unavailable}`);
}

async function setUp(seller: Record<string, unknown>) {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db, { seller: seller as typeof FRENCH_SELLER });
  const deps = serviceDeps(db);
  const draftFor = async (clientId: string) =>
    (
      await createInvoiceDraft(testCtx(deps, workspace.id), {
        clientId,
        lines: [{ description: "Audit", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2000 }],
      })
    ).invoice;
  return { db, workspace, deps, draftFor };
}

describe(`French e-invoicing reform mentions on ${backend()}`, () => {
  it("refuses to issue to a French business without its SIREN and says where to set it", async () => {
    const { db, workspace, deps, draftFor } = await setUp(FRENCH_SELLER);
    const client = await createClient(db, workspace.id, {
      name: "Boulangerie Martin",
      siren: null,
      language: "fr",
    });
    const draft = await draftFor(client.id);
    await expect(issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id })).rejects.toMatchObject({
      userMessage: expect.stringMatching(
        /Boulangerie Martin is a French business: .*SIREN.* `\/cobro client Boulangerie Martin` or in the `siren` column of the client CSV/,
      ),
    });
    const [still] = await db.select().from(invoices).where(eq(invoices.id, draft.id));
    expect(still?.number ?? null).toBeNull();

    await db.update(clients).set({ siren: "303265045" }).where(eq(clients.id, client.id));
    const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id });
    const model = modelOf(
      (await renderInvoiceDocument(testCtx(deps, workspace.id), { invoiceId: invoice.id })).input,
    );
    expect(model.buyer.lines.join("\n")).toContain("303265045");
    expect(model.mentions).toContain(NATURE);
    // Not opted: no debits mention.
    expect(model.mentions.join("\n")).not.toContain("débits");
  });

  it("prints the nature and the VAT-on-debits option, carries them and the buyer SIREN in valid UBL and CII", async () => {
    const { db, workspace, deps, draftFor } = await setUp(FRENCH_SELLER);
    const settings = await changeWorkspaceSettings(testCtx(deps, workspace.id), {
      values: { vat_on_debits: "maybe" },
    });
    expect(settings).toMatchObject({ ok: false, errors: { vat_on_debits: "Use yes or no." } });
    await changeWorkspaceSettings(testCtx(deps, workspace.id), {
      values: { vat_on_debits: "yes" },
    });
    const client = await createClient(db, workspace.id, { language: "fr" });
    const draft = await draftFor(client.id);
    const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id });

    const model = modelOf(
      (await renderInvoiceDocument(testCtx(deps, workspace.id), { invoiceId: invoice.id })).input,
    );
    expect(model.mentions).toEqual(expect.arrayContaining([NATURE, DEBITS]));

    const ubl = String(
      (await exportEInvoice(testCtx(deps, workspace.id), { invoiceId: invoice.id, format: "ubl" })).content,
    );
    const cii = String(
      (await exportEInvoice(testCtx(deps, workspace.id), { invoiceId: invoice.id, format: "cii" })).content,
    );
    for (const xml of [ubl, cii]) {
      expect(xml).toContain("Nature de l&apos;opération : prestations de services.");
      expect(xml).toContain("Option pour le paiement de la taxe d&apos;après les débits.");
      expect(xml).toMatch(/schemeID="0002"[^>]*>303265045</);
    }
    if (unavailable) return;
    const [ublRules, ciiRules] = await Promise.all([validateUbl({ fr: ubl }), validateCii({ fr: cii })]);
    expect((ublRules.fr ?? []).filter((r) => r.flag !== "warning")).toEqual([]);
    expect((ciiRules.fr ?? []).filter((r) => r.flag !== "warning")).toEqual([]);
  });

  it("prints the delivery address set in the client CSV and carries it, with the client's electronic address, in valid UBL and CII", async () => {
    const { db, workspace, deps, draftFor } = await setUp(FRENCH_SELLER);
    const imported = await importCsv(testCtx(deps, workspace.id), {
      kind: "clients",
      csv: [
        "external_id,name,profile,currency,country,language,tax_id,siren,address_line1,postcode,city,einvoice_scheme,einvoice_id,delivery_line1,delivery_postcode,delivery_city",
        "C-USINE,Client Industriel SA,business,EUR,FR,fr,FR40303265045,303265045,1 rue de la Paix,75002,Paris,0225,303265045_STATUT,Zone industrielle Nord,69120,Vaulx-en-Velin",
      ].join("\n"),
    });
    expect(imported.errors).toEqual([]);
    const [client] = await db.select().from(clients).where(eq(clients.workspaceId, workspace.id));
    const draft = await draftFor(client!.id);
    const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id });

    const model = modelOf(
      (await renderInvoiceDocument(testCtx(deps, workspace.id), { invoiceId: invoice.id })).input,
    );
    expect(model.buyer.lines).toContain(
      "Adresse de livraison: Zone industrielle Nord, 69120 Vaulx-en-Velin, FR",
    );
    const exported = async (format: "ubl" | "cii") =>
      String((await exportEInvoice(testCtx(deps, workspace.id), { invoiceId: invoice.id, format })).content);
    const [ubl, cii] = [await exported("ubl"), await exported("cii")];
    expect(ubl).toContain(
      "<cac:Delivery><cac:DeliveryLocation><cac:Address><cbc:StreetName>Zone industrielle Nord<",
    );
    expect(ubl).toContain('<cbc:EndpointID schemeID="0225">303265045_STATUT</cbc:EndpointID>');
    expect(cii).toContain(
      "<ram:ShipToTradeParty><ram:Name>Client Industriel SA</ram:Name><ram:PostalTradeAddress><ram:PostcodeCode>69120<",
    );
    expect(cii).toContain('<ram:URIID schemeID="0225">303265045_STATUT</ram:URIID>');
    if (unavailable) return;
    const [ublRules, ciiRules] = await Promise.all([validateUbl({ fr: ubl }), validateCii({ fr: cii })]);
    expect({ ubl: ublRules.fr, cii: ciiRules.fr }).toEqual({ ubl: [], cii: [] });
  });

  it("prints a French public buyer's intérêts moratoires at ECB + 8 (public procurement code) in the PDF and its Factur-X", async () => {
    const { db, workspace, deps, draftFor } = await setUp(FRENCH_SELLER);
    const client = await createClient(db, workspace.id, {
      name: "Ville de Villeurbanne",
      profile: "public",
      language: "fr",
    });
    const draft = await draftFor(client.id);
    const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id });
    const halfYear = `${invoice.issueDate?.slice(0, 4)}-${Number(invoice.issueDate?.slice(5, 7)) <= 6 ? "01" : "07"}-01`;
    const [rate] = await db
      .select()
      .from(lateInterestRates)
      .where(and(eq(lateInterestRates.jurisdiction, "FR"), eq(lateInterestRates.halfYearStart, halfYear)));
    const publicRate = `${((rate!.referenceRateBp + 800) / 100).toFixed(2).replace(".", ",").replace(/,?0+$/, "")} %`;

    const { pdf } = await renderInvoiceDocument(testCtx(deps, workspace.id), { invoiceId: invoice.id });
    const text = (await pdfText(pdf)).all;
    expect(text).toContain(`majoré de 8 points (soit ${publicRate})`);
    expect(text).toContain("R2192-31 du Code de la commande publique");
    expect(text).toContain("40 € (art. L2192-13 et D2192-35 du Code de la commande publique)");
    expect(text).not.toMatch(/10 points|L441-10/);

    const cii = String(
      (await exportEInvoice(testCtx(deps, workspace.id), { invoiceId: invoice.id, format: "cii" })).content,
    );
    expect(cii).toContain(`majoré de 8 points (soit ${publicRate})`);
    if (unavailable) return;
    const rules = await validateCii({ fr: cii });
    expect((rules.fr ?? []).filter((r) => r.flag !== "warning")).toEqual([]);
  });

  it("prints the legal form once in the footer when the company name already ends with it", async () => {
    const { db, workspace, deps, draftFor } = await setUp(FRENCH_SELLER);
    const client = await createClient(db, workspace.id, { language: "fr" });
    const { invoice } = await issueInvoice(testCtx(deps, workspace.id), {
      invoiceId: (await draftFor(client.id)).id,
    });
    const { pdf } = await renderInvoiceDocument(testCtx(deps, workspace.id), { invoiceId: invoice.id });
    const text = (await pdfText(pdf)).all;
    expect(text).toContain("Atelier Durand SAS · SIREN 123456789");
    expect(text).not.toContain("SAS · SAS");
  });

  it("leaves a Spanish seller's invoice without the French mentions", async () => {
    const { db, workspace, deps, draftFor } = await setUp({
      legalName: "Lucía Gómez Consultoría",
      nif: "12345678Z",
      address: { line1: "Calle Mayor 1", postcode: "28013", city: "Madrid", country: "ES" },
      iban: "ES9121000418450200051332",
      siiFiler: true,
    });
    const client = await createClient(db, workspace.id, {
      country: "ES",
      taxId: "B12345678",
      siren: null,
      language: "es",
      address: { line1: "Gran Vía 2", postcode: "28013", city: "Madrid", country: "ES" },
    });
    const draft = await draftFor(client.id);
    const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id });
    const model = modelOf(
      (await renderInvoiceDocument(testCtx(deps, workspace.id), { invoiceId: invoice.id })).input,
    );
    expect(model.mentions.join("\n")).not.toMatch(/operación|opération/);
    const ubl = String(
      (await exportEInvoice(testCtx(deps, workspace.id), { invoiceId: invoice.id, format: "ubl" })).content,
    );
    expect(ubl).not.toMatch(/prestation/i);
  });
});
