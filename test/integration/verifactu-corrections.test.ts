import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invoiceCommand } from "../../src/cli/invoice.ts";
import { statementCommand } from "../../src/cli/statement.ts";
import { loadClientStatement } from "../../src/collections/load-client-statement.ts";
import { invoices, verifactuRecords } from "../../src/db/schema/index.ts";
import { cancelInvoice } from "../../src/invoicing/cancel-invoice.ts";
import { createCreditNote } from "../../src/invoicing/create-credit-note.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { recordPayment } from "../../src/invoicing/record-payment.ts";
import { renderInvoiceDocument } from "../../src/invoicing/render-invoice-document.ts";
import { exportVerifactuSubmissions } from "../../src/invoicing/verifactu/export-verifactu-submissions.ts";
import { verifyVerifactuChains } from "../../src/invoicing/verifactu/verify-verifactu-chains.ts";
import { modelOf } from "../../src/pdf/render-invoice.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";
import { FR_SELLER } from "../helpers/sellers.ts";
import { AEAT_SUBMISSION_XSD, validateXml, xmlSchemaUnavailable } from "../helpers/xml-schema.ts";

const schemaUnavailable = xmlSchemaUnavailable(AEAT_SUBMISSION_XSD);

async function spanishSetup() {
  const { db } = await testDatabase();
  const deps = serviceDeps(db);
  const workspace = await createWorkspace(db); // Acme Consulting SL, NIF B12345678
  const client = await createClient(db, workspace.id, {
    country: "ES",
    taxId: "ESB87654321",
    currency: "EUR",
  });
  const issue = async (lines: { description: string; unitPriceMinor: number; vatRateBp?: number }[]) => {
    const { invoice: draft } = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: lines.map((line) => ({ quantityMilli: 1000, ...line })),
    });
    return (await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id })).invoice;
  };
  return { db, deps, workspace, client, issue };
}

describe(`VERI*FACTU corrections on ${backend()}`, () => {
  it("prints a rectificativa por diferencias with the negative amounts of its record", async () => {
    const { deps, workspace, issue } = await spanishSetup();
    const invoice = await issue([{ description: "Consultoría", unitPriceMinor: 100_000 }]);
    const { creditNote } = await createCreditNote(testCtx(deps, workspace.id), {
      invoiceId: invoice.id,
      reason: "Facturado dos veces",
      full: true,
    });
    const document = await renderInvoiceDocument(testCtx(deps, workspace.id), {
      invoiceId: creditNote.id,
    });
    const model = modelOf(document.input);
    expect(model.lines[0]?.lineTotal).toMatch(/^[-−]/);
    expect(model.totals.map((t) => t.value).every((value) => /^[-−]/.test(value))).toBe(true);
    expect(model.vatRows[0]?.vat).toMatch(/^[-−]/);
  });
});

describe(`VERI*FACTU anulación on ${backend()}`, () => {
  it("cancels an invoice that never reached the client with a chained anulación record valid against the AEAT schema", async () => {
    const { db, deps, workspace, issue } = await spanishSetup();
    const database = await testDatabase();
    const kept = await issue([{ description: "Consultoría", unitPriceMinor: 100_000 }]);
    const wrong = await issue([{ description: "Consultoría (cliente equivocado)", unitPriceMinor: 50_000 }]);
    const cli = cliRunner(invoiceCommand, { deps, database });
    const run = (...args: string[]) => cli.run(...args, "--workspace", workspace.id);

    expect(await run("cancel", wrong.number!, "--reason", "Cliente equivocado")).toEqual({
      code: 0,
      out: `Cancelled ${wrong.number}: VERI*FACTU anulación record 3 of B12345678 chained; the number stays used.`,
    });
    expect((await run("cancel", wrong.number!, "--reason", "again")).out).toMatch(/^Already cancelled/);
    const [voided] = await db.select().from(invoices).where(eq(invoices.id, wrong.id));
    expect(voided).toMatchObject({ status: "void", openMinor: 0, number: wrong.number });

    const records = await db
      .select()
      .from(verifactuRecords)
      .where(eq(verifactuRecords.workspaceId, workspace.id))
      .orderBy(verifactuRecords.sequence);
    expect(records.map((r) => [r.kind, r.seriesNumber])).toEqual([
      ["alta", kept.number],
      ["alta", wrong.number],
      ["anulacion", wrong.number],
    ]);
    expect(records[2]!.previousHash).toBe(records[1]!.hash);
    expect(records[2]!.hashInput).toMatch(
      new RegExp(
        `^IDEmisorFacturaAnulada=B12345678&NumSerieFacturaAnulada=${wrong.number}&FechaExpedicionFacturaAnulada=23-11-2026&Huella=${records[1]!.hash}&FechaHoraHusoGenRegistro=2026-11-23T10:00:00\\+01:00$`,
      ),
    );
    const [submission] = await exportVerifactuSubmissions(testCtx(deps, workspace.id), {
      version: "0.1.0",
    });
    expect(submission!.xml).toContain(
      `<sf:RegistroAnulacion><sf:IDVersion>1.0</sf:IDVersion><sf:IDFactura><sf:IDEmisorFacturaAnulada>B12345678</sf:IDEmisorFacturaAnulada><sf:NumSerieFacturaAnulada>${wrong.number}</sf:NumSerieFacturaAnulada>`,
    );
    if (!schemaUnavailable) expect(await validateXml(submission!.xml, AEAT_SUBMISSION_XSD)).toEqual([]);
    const [chain] = await verifyVerifactuChains(testCtx(deps, workspace.id), {});
    expect(chain).toEqual({ issuerNif: "B12345678", records: 3, broken: null });
  });

  it("a copy of a cancelled invoice says it is cancelled, in the client's language", async () => {
    const { db, deps, workspace } = await spanishSetup();
    const ctx = testCtx(deps, workspace.id);
    const titleOf = async (invoiceId: string) =>
      modelOf((await renderInvoiceDocument(ctx, { invoiceId })).input).title;
    for (const [language, issuedTitle, cancelledTitle] of [
      ["en", "Invoice", "Invoice (cancelled)"],
      ["es", "Factura", "Factura (anulada)"],
    ] as const) {
      const client = await createClient(db, workspace.id, { country: "ES", taxId: "ESB87654321", language });
      const { invoice: draft } = await createInvoiceDraft(ctx, {
        clientId: client.id,
        lines: [{ description: "Consultoría", quantityMilli: 1000, unitPriceMinor: 50_000 }],
      });
      const { invoice } = await issueInvoice(ctx, { invoiceId: draft.id });
      expect(await titleOf(invoice.id)).toBe(issuedTitle);
      await cancelInvoice(ctx, { invoiceId: invoice.id, reason: "Cliente equivocado" });
      expect(await titleOf(invoice.id)).toBe(cancelledTitle);
    }
  });

  it("refuses to cancel an invoice already paid or e-mailed, and one without a record", async () => {
    const { db, deps, workspace, issue } = await spanishSetup();
    const paid = await issue([{ description: "Consultoría", unitPriceMinor: 100_000 }]);
    await recordPayment(testCtx(deps, workspace.id), {
      invoiceId: paid.id,
      amountMinor: 10_000,
      paidOn: "2026-11-23",
    });
    await expect(
      cancelInvoice(testCtx(deps, workspace.id), { invoiceId: paid.id, reason: "error" }),
    ).rejects.toMatchObject({
      userMessage: expect.stringContaining(
        `${paid.number} has already reached the client (a payment is recorded): the AEAT only allows cancelling an invoice that was never handed over. Correct it with a credit note`,
      ),
    });
    const emailed = await issue([{ description: "Consultoría", unitPriceMinor: 100_000 }]);
    await db
      .update(invoices)
      .set({ sentAt: new Date("2026-11-23T09:30:00Z") })
      .where(eq(invoices.id, emailed.id));
    await expect(
      cancelInvoice(testCtx(deps, workspace.id), { invoiceId: emailed.id, reason: "error" }),
    ).rejects.toMatchObject({ code: "invoice.cancel_handed_over" });

    const french = await createWorkspace(db, { seller: FR_SELLER, timeZone: "Europe/Paris" });
    const client = await createClient(db, french.id, {
      country: "FR",
      taxId: "FR40303265045",
      siren: "303265045",
    });
    const { invoice: draft } = await createInvoiceDraft(testCtx(deps, french.id), {
      clientId: client.id,
      lines: [{ description: "Conseil", quantityMilli: 1000, unitPriceMinor: 100_000 }],
    });
    const { invoice } = await issueInvoice(testCtx(deps, french.id), { invoiceId: draft.id });
    await expect(
      cancelInvoice(testCtx(deps, french.id), { invoiceId: invoice.id, reason: "error" }),
    ).rejects.toMatchObject({ code: "invoice.cancel_not_verifactu" });
  });
});

describe(`VERI*FACTU rectificativas on ${backend()}`, () => {
  it("records R1–R4 by differences and by substitution and R5 on an F2, all chained and valid against the AEAT schema", async () => {
    const { db, deps, workspace, issue } = await spanishSetup();
    const consumer = await createClient(db, workspace.id, {
      country: "ES",
      taxId: null,
      profile: "individual",
      currency: "EUR",
      address: { line1: "Calle Luna 3", postcode: "28004", city: "Madrid", country: "ES" },
    });
    const credit = async (invoiceId: string, extra: Partial<Parameters<typeof createCreditNote>[1]>) =>
      (
        await createCreditNote(testCtx(deps, workspace.id), {
          invoiceId,
          reason: "Corrección",
          lines: [{ description: "Ajuste", quantityMilli: 1000, unitPriceMinor: 10_000, vatRateBp: 2100 }],
          ...extra,
        })
      ).creditNote;
    const types = ["R1", "R2", "R3", "R4"] as const;
    for (const code of types) {
      const invoice = await issue([
        { description: `Servicio ${code}`, unitPriceMinor: 100_000, vatRateBp: 2100 },
      ]);
      await credit(invoice.id, { rectificationCode: code });
    }
    const replaced = await issue([{ description: "Servicio S", unitPriceMinor: 100_000, vatRateBp: 2100 }]);
    const substitute = await credit(replaced.id, { rectificationMethod: "S" });
    const { invoice: draft } = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: consumer.id,
      lines: [{ description: "Curso", quantityMilli: 1000, unitPriceMinor: 20_000, vatRateBp: 2100 }],
    });
    const simplified = (await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id })).invoice;
    await expect(credit(simplified.id, { rectificationCode: "R4" })).rejects.toMatchObject({
      userMessage: `${simplified.number} was issued without identifying the client (F2): its rectificativa is R5, not R4.`,
    });
    await credit(simplified.id, {});

    const records = await db
      .select()
      .from(verifactuRecords)
      .where(eq(verifactuRecords.workspaceId, workspace.id))
      .orderBy(verifactuRecords.sequence);
    expect(records.map((r) => `${r.invoiceType}${r.rectificationType ?? ""}`)).toEqual([
      "F1",
      "R1I",
      "F1",
      "R2I",
      "F1",
      "R3I",
      "F1",
      "R4I",
      "F1",
      "R4S",
      "F2",
      "R5I",
    ]);
    // By differences the record is negative; by substitution it states the invoice as corrected.
    expect(records[1]!.hashInput).toContain("&CuotaTotal=-21.00&ImporteTotal=-121.00&");
    const substitutionRecord = records.find((r) => r.invoiceId === substitute.id)!;
    expect(substitutionRecord.hashInput).toContain("&CuotaTotal=189.00&ImporteTotal=1089.00&");
    // Its PDF states the corrected total too, positive like its record.
    const printed = modelOf(
      (await renderInvoiceDocument(testCtx(deps, workspace.id), { invoiceId: substitute.id })).input,
    );
    const corrected = printed.totals.find((t) => /as corrected|rectificada|rectifiée/.test(t.label));
    expect(corrected?.value).toMatch(/1[,.]?089[.,]00/);
    expect(printed.totals.every((t) => !/^[-−]/.test(t.value))).toBe(true);

    const [submission] = await exportVerifactuSubmissions(testCtx(deps, workspace.id), {
      version: "0.1.0",
    });
    const xml = submission!.xml;
    expect(xml).toContain(
      "<sf:TipoFactura>R4</sf:TipoFactura><sf:TipoRectificativa>S</sf:TipoRectificativa>",
    );
    expect(xml).toContain(
      "<sf:ImporteRectificacion><sf:BaseRectificada>1000.00</sf:BaseRectificada><sf:CuotaRectificada>210.00</sf:CuotaRectificada></sf:ImporteRectificacion>",
    );
    expect(xml).toContain("<sf:BaseImponibleOimporteNoSujeto>900.00</sf:BaseImponibleOimporteNoSujeto>");
    expect(xml).toContain(
      "<sf:TipoFactura>R5</sf:TipoFactura><sf:TipoRectificativa>I</sf:TipoRectificativa>",
    );
    if (!schemaUnavailable) expect(await validateXml(xml, AEAT_SUBMISSION_XSD)).toEqual([]);
    const [chain] = await verifyVerifactuChains(testCtx(deps, workspace.id), {});
    expect(chain).toMatchObject({ records: 12, broken: null });
  });

  it("credits a paid invoice: the refund due shows in the client's statement", async () => {
    const { deps, workspace, client, issue } = await spanishSetup();
    const database = await testDatabase();
    const invoice = await issue([{ description: "Consultoría", unitPriceMinor: 100_000 }]);
    await recordPayment(testCtx(deps, workspace.id), {
      invoiceId: invoice.id,
      amountMinor: 121_000,
      paidOn: "2026-11-23",
    });
    const cli = cliRunner(invoiceCommand, { deps, database });
    const credited = await cli.run(
      "credit",
      invoice.number!,
      "--amount",
      "200.00",
      "--reason",
      "Descuento acordado",
      "--workspace",
      workspace.id,
    );
    expect(credited.code).toBe(0);
    expect(credited.out).toMatch(/is now paid, open 0.00 EUR; refund due to the client: 242.00 EUR\.$/);
    const statement = await loadClientStatement(testCtx(deps, workspace.id), { client: client.id });
    expect(statement.refundsDue).toEqual([
      { currency: "EUR", amountMinor: 24_200, invoices: [invoice.number] },
    ]);
    const statementCli = cliRunner(statementCommand, { deps, database });
    const out = `${statementCli.dataDir}/statement.pdf`;
    const written = await statementCli.run(client.id, "--out", out, "--workspace", workspace.id);
    expect(written.out).toContain(`refund due to the client: 242.00 EUR (${invoice.number})`);
  });

  it("credits part of a multi-rate invoice rate by rate, and refuses more than a rate holds", async () => {
    const { deps, workspace, issue } = await spanishSetup();
    const database = await testDatabase();
    const invoice = await issue([
      { description: "Consultoría", unitPriceMinor: 100_000, vatRateBp: 2100 },
      { description: "Formación", unitPriceMinor: 50_000, vatRateBp: 1000 },
    ]);
    const cli = cliRunner(invoiceCommand, { deps, database });
    const run = (...args: string[]) => cli.run(...args, "--workspace", workspace.id);
    await expect(run("credit", invoice.number!, "--amount", "100.00", "--reason", "x")).rejects.toMatchObject(
      {
        userMessage: expect.stringContaining("say how much to credit at each, e.g. --amount 21=NET,10=NET"),
      },
    );
    const done = await run("credit", invoice.number!, "--amount", "21=100.00,10=50.00", "--reason", "Ajuste");
    expect(done.out).toContain(": 176.00 EUR;"); // 100 + 21 VAT, 50 + 5 VAT
    await expect(
      run("credit", invoice.number!, "--amount", "10=450.01", "--reason", "x"),
    ).rejects.toMatchObject({
      userMessage: `At 10% (S) ${invoice.number} has €450.00 left to credit (base), not €450.01.`,
    });
    await expect(run("credit", invoice.number!, "--amount", "4=10", "--reason", "x")).rejects.toMatchObject({
      userMessage: expect.stringContaining("has no line at 4%"),
    });
    const [submission] = await exportVerifactuSubmissions(testCtx(deps, workspace.id), {
      version: "0.1.0",
    });
    expect(submission!.xml).toContain(
      "<sf:TipoImpositivo>10.00</sf:TipoImpositivo><sf:BaseImponibleOimporteNoSujeto>-50.00</sf:BaseImponibleOimporteNoSujeto><sf:CuotaRepercutida>-5.00</sf:CuotaRepercutida>",
    );
    if (!schemaUnavailable) expect(await validateXml(submission!.xml, AEAT_SUBMISSION_XSD)).toEqual([]);
  });
});
