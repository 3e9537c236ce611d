import { describe, expect, it } from "vitest";
import { createCreditNote } from "../../src/invoicing/create-credit-note.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { holdInvoice } from "../../src/invoicing/hold-invoice.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { issueInvoices } from "../../src/invoicing/issue-invoices.ts";
import { recordPayment } from "../../src/invoicing/record-payment.ts";
import { updateInvoiceDraft } from "../../src/invoicing/update-invoice-draft.ts";
import { testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";

async function issued(
  lines = [{ description: "Audit", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2100 }],
) {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db);
  const client = await createClient(db, workspace.id, {
    country: "ES",
    taxId: "B87654321",
    withholdingRateBp: 1500,
  });
  const deps = serviceDeps(db);
  const draft = await createInvoiceDraft(testCtx(deps, workspace.id), { clientId: client.id, lines });
  const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.invoice.id });
  return { db, deps, workspace, client, invoice };
}

describe("payments", () => {
  it("moves an invoice from issued to partially paid to paid; IRPF is not collectible", async () => {
    const { deps, workspace, invoice } = await issued();
    // 1000.00 + 21 % VAT − 15 % IRPF = 1060.00 due.
    expect(invoice).toMatchObject({ totalMinor: 121_000, withholdingMinor: 15_000, openMinor: 106_000 });
    const first = await recordPayment(testCtx(deps, workspace.id), {
      invoiceId: invoice.id,
      amountMinor: 60_000,
      paidOn: "2026-11-20",
      reference: "TRF-1",
    });
    expect(first.invoice).toMatchObject({ status: "partially_paid", openMinor: 46_000 });
    const again = await recordPayment(testCtx(deps, workspace.id), {
      invoiceId: invoice.id,
      amountMinor: 60_000,
      paidOn: "2026-11-20",
      reference: "TRF-1",
    });
    expect(again.alreadyDone).toBe(true);
    expect(again.invoice.openMinor).toBe(46_000);
    await expect(
      recordPayment(testCtx(deps, workspace.id), {
        invoiceId: invoice.id,
        amountMinor: 46_001,
        paidOn: "2026-11-21",
      }),
    ).rejects.toMatchObject({ code: "payment.overpayment", userMessage: expect.stringContaining("€460.00") });
    const last = await recordPayment(testCtx(deps, workspace.id), {
      invoiceId: invoice.id,
      amountMinor: 46_000,
      paidOn: "2026-11-21",
    });
    expect(last.invoice).toMatchObject({ status: "paid", openMinor: 0 });
    await expect(
      recordPayment(testCtx(deps, workspace.id), {
        invoiceId: invoice.id,
        amountMinor: 1,
        paidOn: "2026-11-22",
      }),
    ).rejects.toMatchObject({ code: "invoice.state" });
  });
});

describe("credit notes", () => {
  it("lowers the open amount, then credits the invoice fully, in their own series", async () => {
    const { deps, workspace, invoice } = await issued([
      { description: "Design", quantityMilli: 2000, unitPriceMinor: 50_000, vatRateBp: 2100 },
    ]);
    const partial = await createCreditNote(testCtx(deps, workspace.id), {
      invoiceId: invoice.id,
      reason: "One day not delivered",
      lines: [
        { description: "Design (1 day)", quantityMilli: 1000, unitPriceMinor: 50_000, vatRateBp: 2100 },
      ],
    });
    expect(partial.creditNote).toMatchObject({
      number: "AV-2026-0001",
      kind: "credit_note",
      typeCode: "381",
      correctsInvoiceId: invoice.id,
      totalMinor: 60_500,
      withholdingMinor: 7_500,
    });
    expect(partial.original).toMatchObject({ status: "issued", openMinor: 106_000 - 53_000 });
    const rest = await createCreditNote(testCtx(deps, workspace.id), {
      invoiceId: invoice.id,
      reason: "Project cancelled",
      lines: [
        { description: "Design (1 day)", quantityMilli: 1000, unitPriceMinor: 50_000, vatRateBp: 2100 },
      ],
    });
    expect(rest.creditNote.number).toBe("AV-2026-0002");
    expect(rest.original).toMatchObject({ status: "credited", openMinor: 0 });
    await expect(
      createCreditNote(testCtx(deps, workspace.id), {
        invoiceId: invoice.id,
        reason: "again",
        full: true,
      }),
    ).resolves.toMatchObject({ alreadyDone: true });
  });

  it("credits a paid invoice: what was paid beyond the correction is a refund due; never more than invoiced", async () => {
    const { deps, workspace, invoice } = await issued();
    await recordPayment(testCtx(deps, workspace.id), {
      invoiceId: invoice.id,
      amountMinor: 100_000,
      paidOn: "2026-11-22",
    });
    // 1060.00 due, 1000.00 paid: crediting 200.00 net (242.00 with VAT, 212.00 after IRPF) overshoots by 152.00.
    const partial = await createCreditNote(testCtx(deps, workspace.id), {
      invoiceId: invoice.id,
      reason: "Discount agreed after payment",
      lines: [{ description: "Discount", quantityMilli: 1000, unitPriceMinor: 20_000, vatRateBp: 2100 }],
    });
    expect(partial.refundDueMinor).toBe(15_200);
    expect(partial.original).toMatchObject({ status: "paid", openMinor: 0 });
    await expect(
      createCreditNote(testCtx(deps, workspace.id), {
        invoiceId: invoice.id,
        reason: "error",
        lines: [{ description: "Too much", quantityMilli: 1000, unitPriceMinor: 90_000, vatRateBp: 2100 }],
      }),
    ).rejects.toMatchObject({ code: "invoice.credit_rectification" });
  });
});

describe("drafts", () => {
  it("edits and holds drafts, refuses edits once issued, and bulk-issues with a per-invoice report", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const client = await createClient(db, workspace.id);
    const noTax = await createClient(db, workspace.id, { taxId: null, siren: null });
    const deps = serviceDeps(db);
    const a = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [{ description: "A", quantityMilli: 1000, unitPriceMinor: 1000, vatRateBp: 2100 }],
    });
    const edited = await updateInvoiceDraft(testCtx(deps, workspace.id), {
      invoiceId: a.invoice.id,
      lines: [{ description: "A", quantityMilli: 7500, unitPriceMinor: 9000, vatRateBp: 2100 }],
    });
    expect(edited.invoice).toMatchObject({ subtotalMinor: 67_500, vatMinor: 14_175, totalMinor: 81_675 });
    const b = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: noTax.id,
      lines: [{ description: "B", quantityMilli: 1000, unitPriceMinor: 1000, vatRateBp: 2100 }],
    });
    const c = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [{ description: "C", quantityMilli: 1000, unitPriceMinor: 1000, vatRateBp: 2100 }],
    });
    await holdInvoice(testCtx(deps, workspace.id), { invoiceId: c.invoice.id, reason: "waiting for PO" });
    const report = await issueInvoices(testCtx(deps, workspace.id), {
      invoiceIds: [a.invoice.id, b.invoice.id, c.invoice.id],
    });
    expect(report).toEqual([
      { invoiceId: a.invoice.id, ok: true, number: "F-2026-00001", alreadyDone: false },
      {
        invoiceId: b.invoice.id,
        ok: false,
        error: expect.objectContaining({ code: "invoice.missing_client_identity" }),
      },
      { invoiceId: c.invoice.id, ok: false, error: expect.objectContaining({ code: "invoice.held" }) },
    ]);
    await expect(
      updateInvoiceDraft(testCtx(deps, workspace.id), { invoiceId: a.invoice.id, notes: "x" }),
    ).rejects.toMatchObject({ code: "invoice.state" });
    await holdInvoice(testCtx(deps, workspace.id), { invoiceId: c.invoice.id, hold: false });
    const [next] = await issueInvoices(testCtx(deps, workspace.id), { invoiceIds: [c.invoice.id] });
    expect(next?.number).toBe("F-2026-00002");
  });
});
