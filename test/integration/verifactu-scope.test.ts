import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { describeVerifactuScopes } from "../../src/cli/doctor-verifactu-scope.ts";
import { invoiceCommand } from "../../src/cli/invoice.ts";
import { verifactuCommand } from "../../src/cli/verifactu.ts";
import { verifactuRecords } from "../../src/db/schema/index.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { renderInvoiceDocument } from "../../src/invoicing/render-invoice-document.ts";
import { exportVerifactuSubmissions } from "../../src/invoicing/verifactu/export-verifactu-submissions.ts";
import { modelOf } from "../../src/pdf/render-invoice.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";
import { AEAT_SUBMISSION_XSD, validateXml, xmlSchemaUnavailable } from "../helpers/xml-schema.ts";

const SELLER = {
  legalName: "Acme Consulting SL",
  legalForm: "SL",
  address: { line1: "Calle Mayor 1", postcode: "28013", city: "Madrid", country: "ES" },
  iban: "ES9121000418450200051332",
};
const schema = xmlSchemaUnavailable(AEAT_SUBMISSION_XSD);

async function issueOne(
  seller: Record<string, unknown>,
  client: { country: string; taxId: string | null } = { country: "ES", taxId: "ESB87654321" },
  line: Record<string, unknown> = {},
) {
  const { db } = await testDatabase();
  const deps = serviceDeps(db); // 2026-11-23T09:00:00Z: winter time
  const workspace = await createWorkspace(db, { seller: { ...SELLER, ...seller } as never });
  const buyer = await createClient(db, workspace.id, { ...client, currency: "EUR" });
  const { invoice: draft } = await createInvoiceDraft(testCtx(deps, workspace.id), {
    clientId: buyer.id,
    lines: [{ description: "Consultoría", quantityMilli: 1000, unitPriceMinor: 100_000, ...line }],
  });
  const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id });
  const records = await db.select().from(verifactuRecords).where(eq(verifactuRecords.invoiceId, invoice.id));
  const document = await renderInvoiceDocument(testCtx(deps, workspace.id), { invoiceId: invoice.id });
  const submissions = await exportVerifactuSubmissions(testCtx(deps, workspace.id), { version: "0.1.0" });
  return { records, qrUrl: modelOf(document.input).verifactu?.qrUrl, xml: submissions[0]?.xml ?? "" };
}

describe(`VERI*FACTU scope on ${backend()}`, () => {
  it("gives a Spanish seller set up with only its VAT id a record and the QR, under the NIF", async () => {
    const { records, qrUrl } = await issueOne({ vatId: "ESB12345678" });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      issuerNif: "B12345678",
      kind: "alta",
      invoiceType: "F1",
      sequence: 1,
    });
    expect(qrUrl).toMatch(/ValidarQR\?nif=B12345678&numserie=/);
  });

  it("makes no record and no QR for an SII filer or a Basque seller", async () => {
    for (const seller of [
      { nif: "B12345678", siiFiler: true },
      { vatId: "ESB12345678", taxTerritory: "pais_vasco" },
    ]) {
      const { records, qrUrl } = await issueOne(seller);
      expect(records).toEqual([]);
      expect(qrUrl).toBeUndefined();
    }
  });

  it("times a Canary Islands seller's record in Atlantic/Canary and declares IGIC", async () => {
    const { records, xml } = await issueOne({ nif: "B12345678", taxTerritory: "canarias" });
    expect(records[0]?.generatedAt).toBe("2026-11-23T09:00:00+00:00");
    expect(xml).toContain("<sf:Impuesto>03</sf:Impuesto>");
    if (!schema) expect(await validateXml(xml, AEAT_SUBMISSION_XSD)).toEqual([]);
  });

  it("qualifies services to a business outside the EU as not subject by place of supply (N2)", async () => {
    const { xml } = await issueOne(
      { nif: "B12345678" },
      { country: "US", taxId: "98-7654321" },
      {
        vatCategory: "O",
        vatRateBp: 0,
        exemptionReason: "Not subject to VAT - art. 44 Directive 2006/112/EC",
      },
    );
    expect(xml).toContain("<sf:CalificacionOperacion>N2</sf:CalificacionOperacion>");
    expect(xml).not.toContain("<sf:CalificacionOperacion>N1</sf:CalificacionOperacion>");
  });
});

describe(`VERI*FACTU scope setting on ${backend()}`, () => {
  it("sets a seller's territory and SII filing from the CLI, and doctor and export say why records stop", async () => {
    const database = await testDatabase();
    const deps = serviceDeps(database.db);
    const workspace = await createWorkspace(database.db, { name: `Bilbao ${Date.now()}` });
    const cli = cliRunner(verifactuCommand, { deps, database });
    const run = (...args: string[]) => cli.run(...args, "--workspace", workspace.id);
    expect(await run("scope")).toEqual({
      code: 0,
      out: "VERI*FACTU: on for NIF B12345678; records timed in Europe/Madrid.",
    });
    expect((await run("scope", "--territory", "canarias")).out).toBe(
      "VERI*FACTU: on for NIF B12345678; records timed in Atlantic/Canary, tax IGIC.",
    );
    const basque = await run("scope", "--territory", "pais-vasco");
    expect(basque.out).toBe(
      "VERI*FACTU: off: the seller is taxed by the foral territory of País Vasco (TicketBAI), whose own invoicing rules replace VERI*FACTU.",
    );
    expect(await describeVerifactuScopes(database.db)).toContain(`${workspace.name}: ${basque.out}`);
    expect((await run("export")).out).toBe(
      "No new VERI*FACTU records for this seller: the seller is taxed by the foral territory of País Vasco (TicketBAI), whose own invoicing rules replace VERI*FACTU.\nNo VERI*FACTU record is waiting to be sent.",
    );
    expect((await run("scope", "--territory", "common", "--sii", "yes")).out).toMatch(
      /^VERI\*FACTU: off: .*SII/,
    );
    const client = await createClient(database.db, workspace.id, { country: "ES", taxId: "ESB87654321" });
    const { invoice: draft } = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [{ description: "Consultoría", quantityMilli: 1000, unitPriceMinor: 100_000 }],
    });
    const issued = await cliRunner(invoiceCommand, { deps, database }).run(
      "issue",
      draft.id,
      "--workspace",
      workspace.id,
    );
    expect(issued.out).toMatch(
      /^Issued F-2026-\d{5} on 2026-11-23, due .*\. No VERI\*FACTU record: the seller files its books through the SII \(Suministro Inmediato de Información\), which RD 1007\/2023 art\. 3\.3 leaves outside VERI\*FACTU\.$/,
    );
    await expect(run("scope", "--territory", "mars")).rejects.toMatchObject({
      userMessage: 'Unknown territory "mars": use common, canarias, pais-vasco, navarra.',
    });
  });
});
