import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { XMLParser } from "fast-xml-parser";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { verifactuRecords } from "../../src/db/schema/index.ts";
import { buildUblInvoice } from "../../src/einvoice/ubl-invoice.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { renderInvoiceDocument } from "../../src/invoicing/render-invoice-document.ts";
import { appendVerifactuRecord } from "../../src/invoicing/verifactu/chain-repo.ts";
import { modelOf } from "../../src/pdf/render-invoice.ts";
import { backend, secondConnection, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";

describe(`VERI*FACTU chain on ${backend()}`, () => {
  it("chains every record of an issuer to the one before, even when issued concurrently", async () => {
    const database = await testDatabase();
    const { db } = database;
    const workspace = await createWorkspace(db);
    const client = await createClient(db, workspace.id, { country: "ES", taxId: "ESB87654321" });
    const invoices: Awaited<ReturnType<typeof createIssuedInvoice>>[] = [];
    for (let i = 1; i <= 6; i++) {
      invoices.push(
        await createIssuedInvoice(db, workspace.id, client.id, {
          number: `F-2026-${String(i).padStart(5, "0")}`,
        }),
      );
    }
    const other = secondConnection();
    const issue = (index: number) => {
      const target = other && index % 2 === 1 ? other.db : db;
      const invoice = invoices[index]!;
      return target.transaction((tx) =>
        appendVerifactuRecord(
          tx,
          {
            workspaceId: workspace.id,
            invoiceId: invoice.id,
            issuerNif: "B12345678",
            issuerName: "Acme Consulting SL",
            seriesNumber: invoice.number!,
            issueDate: "2026-11-23",
            kind: "invoice",
            vatMinor: invoice.vatMinor,
            totalMinor: invoice.totalMinor,
            currency: "EUR",
          },
          new Date(`2026-11-23T10:00:0${index}Z`),
        ),
      );
    };
    await Promise.all(invoices.map((_, index) => issue(index)));
    await other?.close();

    const records = await db
      .select()
      .from(verifactuRecords)
      .where(eq(verifactuRecords.workspaceId, workspace.id));
    expect(records).toHaveLength(6);
    // Walk the chain from the first record: each hash is the SHA-256 of its input, which names the previous hash.
    const byPrevious = new Map(records.map((r) => [r.previousHash ?? "", r]));
    let cursor = byPrevious.get("");
    let walked = 0;
    while (cursor) {
      expect(createHash("sha256").update(cursor.hashInput).digest("hex").toUpperCase()).toBe(cursor.hash);
      expect(cursor.hashInput).toContain(`Huella=${cursor.previousHash ?? ""}&`);
      walked++;
      cursor = byPrevious.get(cursor.hash);
    }
    expect(walked).toBe(6);
  });

  it("records amounts in euros for an invoice in another currency, and refuses without a rate", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const client = await createClient(db, workspace.id, { country: "US", currency: "USD" });
    const invoice = await createIssuedInvoice(db, workspace.id, client.id, {
      currency: "USD",
      totalMinor: 121000,
    });
    const base = {
      workspaceId: workspace.id,
      invoiceId: invoice.id,
      issuerNif: "B12345678",
      issuerName: "Acme Consulting SL",
      seriesNumber: invoice.number!,
      issueDate: "2026-11-23",
      kind: "invoice" as const,
      vatMinor: 21000,
      totalMinor: 121000,
      currency: "USD",
    };
    await expect(
      db.transaction((tx) => appendVerifactuRecord(tx, base, new Date("2026-11-23T10:00:00Z"))),
    ).rejects.toMatchObject({
      code: "verifactu.no_euro_rate",
    });
    const record = await db.transaction((tx) =>
      appendVerifactuRecord(tx, { ...base, eurRate: "0.9" }, new Date("2026-11-23T10:00:00Z")),
    );
    expect(record.hashInput).toContain("&CuotaTotal=189.00&ImporteTotal=1089.00&");
  });

  it("prints the QR verification URL and the VERI*FACTU legend on a Spanish seller's invoice", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db); // seller: Spanish SL with NIF B12345678
    const client = await createClient(db, workspace.id, {
      country: "ES",
      taxId: "ESB87654321",
      language: "es",
    });
    const deps = serviceDeps(db);
    const { invoice: draft } = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [{ description: "Consultoría", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2100 }],
    });
    const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id });
    const document = await renderInvoiceDocument(testCtx(deps, workspace.id), { invoiceId: invoice.id });
    const issueDate = invoice.issueDate!.split("-").reverse().join("-");
    expect(modelOf(document.input).verifactu?.qrUrl).toBe(
      `https://www2.agenciatributaria.gob.es/wlpl/TIKE-CONT/ValidarQR?nif=B12345678&numserie=${encodeURIComponent(invoice.number!)}&fecha=${issueDate}&importe=1210.00`,
    );
    const pdf = await getDocument({ data: new Uint8Array(document.pdf), useSystemFonts: false }).promise;
    const firstPage = (await (await pdf.getPage(1)).getTextContent()).items
      .map((item) => ("str" in item ? item.str : ""))
      .join(" ");
    await pdf.destroy();
    expect(firstPage).toContain("QR tributario:");
    expect(firstPage).toContain("VERI*FACTU");
    // The UBL sent with it carries the same URL as a field of its own (Orden HAC/1177/2024 art. 20.2).
    const ubl = new XMLParser({ removeNSPrefix: true }).parse(buildUblInvoice(document.eInvoiceSource));
    expect(ubl.Invoice.AdditionalDocumentReference.Attachment.ExternalReference.URI).toBe(
      modelOf(document.input).verifactu?.qrUrl,
    );
  });
});
