import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { verifactuCommand } from "../../src/cli/verifactu.ts";
import { createCreditNote } from "../../src/invoicing/create-credit-note.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { exportVerifactuSubmissions } from "../../src/invoicing/verifactu/export-verifactu-submissions.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";
import { FR_SELLER } from "../helpers/sellers.ts";
import { AEAT_SUBMISSION_XSD, validateXml, xmlSchemaUnavailable } from "../helpers/xml-schema.ts";

const unavailable = xmlSchemaUnavailable(AEAT_SUBMISSION_XSD);
if (unavailable && process.env.COBRO_REQUIRE_AEAT_XSD === "1") {
  throw new Error(`COBRO_REQUIRE_AEAT_XSD is set but ${unavailable}`);
}

/** The text of each <tag> in order. */
const all = (xml: string, tag: string) =>
  [...xml.matchAll(new RegExp(`<sf:${tag}>([^<]*)</sf:${tag}>`, "g"))].map((m) => m[1]);

describe(`VERI*FACTU submission on ${backend()}`, () => {
  it("writes the pending records of an issuer in chain order, with the hashed amounts, credit notes negative", async () => {
    const { db } = await testDatabase();
    const deps = serviceDeps(db);
    const workspace = await createWorkspace(db); // Acme Consulting SL, NIF B12345678
    const spanish = await createClient(db, workspace.id, {
      name: "Globex Ibérica SL",
      country: "ES",
      taxId: "ESB87654321",
    });
    const german = await createClient(db, workspace.id, {
      name: "Initech GmbH",
      country: "DE",
      taxId: "DE123456789",
    });
    const issue = async (clientId: string, description: string) => {
      const { invoice: draft } = await createInvoiceDraft(testCtx(deps, workspace.id), {
        clientId,
        lines: [{ description, quantityMilli: 1000, unitPriceMinor: 100_000 }],
      });
      return (await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id })).invoice;
    };
    const first = await issue(spanish.id, "Consultoría — noviembre");
    const second = await issue(german.id, "Architecture review");
    const { creditNote } = await createCreditNote(testCtx(deps, workspace.id), {
      invoiceId: first.id,
      reason: "Servicio facturado dos veces",
      full: true,
    });

    const [submission, ...more] = await exportVerifactuSubmissions(testCtx(deps, workspace.id), {
      version: "0.1.0",
    });
    expect(more).toHaveLength(0);
    expect(submission).toMatchObject({ issuerNif: "B12345678", records: 3 });
    const xml = submission!.xml;
    // In chain order: the first record starts the chain, each next one names the one before.
    expect(all(xml, "TipoFactura")).toEqual(["F1", "F1", "R4"]);
    expect(xml.match(/<sf:PrimerRegistro>S<\/sf:PrimerRegistro>/g)).toHaveLength(1);
    const hashes = all(xml, "Huella");
    // Huella appears for each record's own hash and, after the first, for the previous one's.
    expect(hashes).toHaveLength(5);
    expect(hashes[1]).toBe(hashes[0]); // record 2 names record 1's hash, record 3 names record 2's
    expect(hashes[3]).toBe(hashes[2]);
    expect(new Set([hashes[0], hashes[2], hashes[4]]).size).toBe(3);
    // 21 % on 1,000.00; reverse charge to Germany is not subject in Spain (N2); the credit note is negative.
    expect(all(xml, "CuotaTotal")).toEqual(["210.00", "0.00", "-210.00"]);
    expect(all(xml, "ImporteTotal")).toEqual(["1210.00", "1000.00", "-1210.00"]);
    expect(all(xml, "CalificacionOperacion")).toEqual(["S1", "N2", "S1"]);
    expect(all(xml, "CuotaRepercutida")).toEqual(["210.00", "-210.00"]);
    expect(xml).toContain(
      `<sf:FacturasRectificadas><sf:IDFacturaRectificada><sf:IDEmisorFactura>B12345678</sf:IDEmisorFactura><sf:NumSerieFactura>${first.number}</sf:NumSerieFactura>`,
    );
    expect(xml).toContain("<sf:TipoRectificativa>I</sf:TipoRectificativa>");
    expect(xml).toContain(
      "<sf:IDOtro><sf:CodigoPais>DE</sf:CodigoPais><sf:IDType>02</sf:IDType><sf:ID>DE123456789</sf:ID></sf:IDOtro>",
    );
    expect(xml).toContain("<sf:NIF>B87654321</sf:NIF>");
    expect(all(xml, "RefExterna")).toEqual([first.id, second.id, creditNote.id]);
  });

  it("cobro verifactu export writes one file per NIF, and says when nothing is waiting", async () => {
    const database = await testDatabase();
    const deps = serviceDeps(database.db);
    const spain = await createWorkspace(database.db);
    const france = await createWorkspace(database.db, { seller: FR_SELLER });
    const client = await createClient(database.db, spain.id, { country: "ES", taxId: "ESB87654321" });
    const { invoice: draft } = await createInvoiceDraft(testCtx(deps, spain.id), {
      clientId: client.id,
      lines: [{ description: "Consultoría", quantityMilli: 1000, unitPriceMinor: 50_000 }],
    });
    await issueInvoice(testCtx(deps, spain.id), { invoiceId: draft.id });
    // Cobro run for others: the operator is named as the system's producer.
    const cli = cliRunner(
      verifactuCommand,
      { deps, database },
      {
        COBRO_VERIFACTU_PRODUCER_NAME: "Cobro Hosting SL",
        COBRO_VERIFACTU_PRODUCER_NIF: "B99999999",
      },
    );
    const dir = cli.dataDir;
    const run = (workspaceId: string, ...args: string[]) => cli.run(...args, "--workspace", workspaceId);
    const written = await run(spain.id, "export", "--out", dir);
    expect(written).toEqual({
      code: 0,
      out: [
        `Wrote ${join(dir, "verifactu-B12345678-1.xml")}: 1 record(s) of B12345678, waiting to be sent to the AEAT.`,
        "Sending: 1 waiting, 0 refused, 0 accepted with errors.",
        "Warning: 1 VERI*FACTU record(s) not sent to the AEAT: no certificate is imported (cobro verifactu cert import FILE --password …).",
      ].join("\n"),
    });
    const xml = readFileSync(join(dir, "verifactu-B12345678-1.xml"), "utf8");
    expect(xml).toContain("<sf:ImporteTotal>605.00</sf:ImporteTotal>");
    expect(xml).toContain(
      "<sf:SistemaInformatico><sf:NombreRazon>Cobro Hosting SL</sf:NombreRazon><sf:NIF>B99999999</sf:NIF>",
    );
    expect(await run(france.id, "export")).toEqual({
      code: 0,
      out: "No VERI*FACTU record is waiting to be sent.",
    });
    await expect(run(spain.id, "upload")).rejects.toMatchObject({
      userMessage: expect.stringContaining("Usage: cobro verifactu export"),
    });
  });

  it.skipIf(unavailable !== null)(
    `passes the AEAT's schema (SuministroLR.xsd)${unavailable ? ` (skipped: ${unavailable})` : ""}`,
    async () => {
      const { db } = await testDatabase();
      const deps = serviceDeps(db);
      const workspace = await createWorkspace(db);
      const client = await createClient(db, workspace.id, { country: "ES", taxId: "ESB87654321" });
      // A consumer without a tax id: the record says the recipient is not identified (art. 6.1.d).
      const consumer = await createClient(db, workspace.id, {
        country: "ES",
        taxId: null,
        profile: "individual",
        address: { line1: "Calle Luna 3", postcode: "28004", city: "Madrid", country: "ES" },
      });
      for (const [description, clientId] of [
        ["Consultoría", client.id],
        ["Formación & soporte <urgente>", consumer.id],
      ] as const) {
        const { invoice: draft } = await createInvoiceDraft(testCtx(deps, workspace.id), {
          clientId,
          lines: [{ description, quantityMilli: 2500, unitPriceMinor: 8_000 }],
        });
        const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id });
        await createCreditNote(testCtx(deps, workspace.id), {
          invoiceId: invoice.id,
          reason: "Error",
          full: true,
        });
      }
      const [submission] = await exportVerifactuSubmissions(testCtx(deps, workspace.id), {
        version: "0.1.0",
      });
      expect(await validateXml(submission!.xml, AEAT_SUBMISSION_XSD)).toEqual([]);
      expect(submission!.xml.match(/<sf:FacturaSinIdentifDestinatarioArt61d>S</g)).toHaveLength(2);
      // The schema does bite: a record without its hash is refused.
      const broken = submission!.xml.replace(/<sf:TipoHuella>01<\/sf:TipoHuella>/, "");
      expect((await validateXml(broken, AEAT_SUBMISSION_XSD)).join("\n")).toMatch(/TipoHuella|Huella/);
    },
    60_000,
  );
});
