// The SEPA QR (EPC069-12) printed on euro invoices, read back from the PDF's pixels.

import { describe, expect, it } from "vitest";
import { rfReference } from "../../src/domain/sepa-transfer.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { recordPayment } from "../../src/invoicing/record-payment.ts";
import { renderInvoiceDocument } from "../../src/invoicing/render-invoice-document.ts";
import { testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";
import { pdftoppmAvailable, readQrCodes } from "../helpers/read-qr.ts";

const poppler = await pdftoppmAvailable();
if (!poppler && process.env.COBRO_REQUIRE_POPPLER === "1") {
  throw new Error("COBRO_REQUIRE_POPPLER is set but pdftoppm is missing (apt-get install poppler-utils)");
}

async function issuedPdf(seller: Record<string, unknown> = {}) {
  const { db } = await testDatabase();
  const base = await createWorkspace(db);
  const workspace = await createWorkspace(db, {
    seller: { ...(base.seller as object), ...seller } as typeof base.seller,
  });
  const client = await createClient(db, workspace.id, { language: "es", country: "ES", taxId: "B87654321" });
  const deps = serviceDeps(db);
  const draft = await createInvoiceDraft(testCtx(deps, workspace.id), {
    clientId: client.id,
    lines: [{ description: "Consultoría", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2100 }],
  });
  const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.invoice.id });
  const render = async () =>
    (await renderInvoiceDocument(testCtx(deps, workspace.id), { invoiceId: invoice.id })).pdf;
  return { deps, invoice, render };
}

const epcCodes = async (pdf: Buffer) => (await readQrCodes(pdf)).filter((code) => code.startsWith("BCD\n"));

describe.skipIf(!poppler)("SEPA QR on the PDF", () => {
  it("carries each EPC069-12 field: BCD 002 UTF-8 SCT, BIC, name, IBAN, EUR amount, remittance as the RF reference", async () => {
    const { invoice, render } = await issuedPdf({
      bic: "CAIXESBBXXX",
      iban: "ES91 2100 0418 4502 0005 1332",
    });
    const [code] = await epcCodes(await render());
    expect(code).toBeDefined();
    const fields = (code ?? "").split("\n");
    expect(fields).toEqual([
      "BCD",
      "002",
      "1",
      "SCT",
      "CAIXESBBXXX",
      "Acme Consulting SL",
      "ES9121000418450200051332",
      "EUR1210.00",
      "",
      String(rfReference(invoice.number ?? "")),
    ]);
    expect(Buffer.byteLength(code ?? "")).toBeLessThanOrEqual(331);
  });

  it("asks for what is still open after a partial payment, and none once paid", async () => {
    const { deps, invoice, render } = await issuedPdf();
    await recordPayment(testCtx(deps, invoice.workspaceId), {
      invoiceId: invoice.id,
      amountMinor: 21_005,
      paidOn: "2026-11-20",
    });
    const [partial] = await epcCodes(await render());
    expect(partial?.split("\n")[4]).toBe(""); // no BIC given: optional in version 002
    expect(partial?.split("\n")[7]).toBe("EUR999.95");
    await recordPayment(testCtx(deps, invoice.workspaceId), {
      invoiceId: invoice.id,
      amountMinor: 99_995,
      paidOn: "2026-11-21",
    });
    expect(await epcCodes(await render())).toEqual([]);
  });

  it("is left out without a seller IBAN", async () => {
    const { render } = await issuedPdf({ iban: undefined });
    expect(await epcCodes(await render())).toEqual([]);
  });
});
