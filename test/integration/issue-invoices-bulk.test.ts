import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invoices, verifactuRecords } from "../../src/db/schema/index.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { issueInvoices } from "../../src/invoicing/issue-invoices.ts";
import { backend, secondConnection, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";

const number = (n: number) => `F-2026-${String(n).padStart(5, "0")}`;

async function setup(drafts: number) {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db);
  const client = await createClient(db, workspace.id, { country: "ES", taxId: "B87654321" });
  const deps = serviceDeps(db);
  const ids: string[] = [];
  for (let i = 0; i < drafts; i++) {
    const { invoice } = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [
        { description: `Sprint ${i + 1}`, quantityMilli: 1000, unitPriceMinor: 10_000 + i, vatRateBp: 2100 },
      ],
    });
    ids.push(invoice.id);
  }
  return { db, deps, workspace, ids };
}

describe(`issuing many drafts at once on ${backend()}`, () => {
  it("numbers 250 drafts consecutively across batches; a refused draft takes no number; a repeat changes nothing", async () => {
    const { db, deps, workspace, ids } = await setup(250);
    const noTax = await createClient(db, workspace.id, { taxId: null, siren: null });
    const { invoice: refused } = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: noTax.id,
      lines: [{ description: "No tax id", quantityMilli: 1000, unitPriceMinor: 5000, vatRateBp: 2100 }],
    });
    // The refused draft sits inside the first batch of 100.
    const order = [...ids.slice(0, 40), refused.id, ...ids.slice(40)];

    const report = await issueInvoices(testCtx(deps, workspace.id), { invoiceIds: order });
    expect(report).toHaveLength(251);
    expect(report[40]).toEqual({
      invoiceId: refused.id,
      ok: false,
      error: expect.objectContaining({ code: "invoice.missing_client_identity" }),
    });
    const issued = report.filter((r) => r.ok);
    expect(issued.map((r) => r.number)).toEqual(ids.map((_, i) => number(i + 1)));
    expect(issued.every((r) => r.alreadyDone === false)).toBe(true);
    expect(deps.enqueued).toHaveLength(250); // one "issued" notice per invoice

    // Every stored invoice carries its own totals and the number the report gave it.
    const rows = await db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id));
    const byId = new Map(rows.map((r) => [r.id, r]));
    ids.forEach((id, i) => {
      expect(byId.get(id)).toMatchObject({
        status: "issued",
        number: number(i + 1),
        subtotalMinor: 10_000 + i,
      });
    });
    expect(byId.get(refused.id)).toMatchObject({ status: "draft", number: null });

    // The VERI*FACTU chain runs through the batches in number order.
    const records = await db
      .select()
      .from(verifactuRecords)
      .where(eq(verifactuRecords.workspaceId, workspace.id));
    const byPrevious = new Map(records.map((r) => [r.previousHash ?? "", r]));
    let cursor = byPrevious.get("");
    const walked: string[] = [];
    while (cursor) {
      expect(createHash("sha256").update(cursor.hashInput).digest("hex").toUpperCase()).toBe(cursor.hash);
      walked.push(cursor.seriesNumber);
      cursor = byPrevious.get(cursor.hash);
    }
    expect(walked).toEqual(ids.map((_, i) => number(i + 1)));

    const again = await issueInvoices(testCtx(deps, workspace.id), { invoiceIds: order });
    expect(again.filter((r) => r.ok).map((r) => [r.number, r.alreadyDone])).toEqual(
      ids.map((_, i) => [number(i + 1), true]),
    );
    expect(deps.enqueued).toHaveLength(250);
    const { invoice: next } = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: (byId.get(ids[0] as string) as { clientId: string }).clientId,
      lines: [{ description: "Next", quantityMilli: 1000, unitPriceMinor: 100, vatRateBp: 2100 }],
    });
    const single = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: next.id });
    expect(single.invoice.number).toBe(number(251));
  });

  it("refuses a whole batch dated before the series' last invoice, taking no number", async () => {
    const { deps, workspace, ids } = await setup(3);
    await issueInvoices(testCtx(deps, workspace.id), { invoiceIds: [ids[0] as string] });
    const backdated = await issueInvoices(testCtx(deps, workspace.id), {
      invoiceIds: ids.slice(1),
      issueDate: "2026-11-20",
    });
    expect(backdated).toEqual(
      ids.slice(1).map((invoiceId) => ({
        invoiceId,
        ok: false,
        error: expect.objectContaining({
          code: "invoice.date_backwards",
          message: expect.stringContaining("2026-11-23"),
        }),
      })),
    );
    const today = await issueInvoices(testCtx(deps, workspace.id), { invoiceIds: ids.slice(1) });
    expect(today.map((r) => r.number)).toEqual([number(2), number(3)]);
  });

  it("shares the series with concurrent bulk and single issuers: no gap, no duplicate", async () => {
    const { db, deps, workspace, ids } = await setup(220);
    const other = secondConnection();
    const otherDeps = other ? serviceDeps(other.db) : deps;
    const results = await Promise.all([
      issueInvoices(testCtx(deps, workspace.id), { invoiceIds: ids.slice(0, 100) }),
      issueInvoices(testCtx(otherDeps, workspace.id), { invoiceIds: ids.slice(100, 200) }),
      ...ids
        .slice(200)
        .map((invoiceId, i) =>
          issueInvoice(testCtx(i % 2 ? otherDeps : deps, workspace.id), { invoiceId }).then((r) => [
            { ok: true, number: r.invoice.number },
          ]),
        ),
    ]);
    await other?.close();
    const numbers = results.flat().map((r) => r.number);
    expect(numbers).toHaveLength(220);
    expect([...numbers].sort()).toEqual(ids.map((_, i) => number(i + 1)));
    const rows = await db
      .select({ number: invoices.number })
      .from(invoices)
      .where(eq(invoices.workspaceId, workspace.id));
    expect(new Set(rows.map((r) => r.number)).size).toBe(220);
  });
});
