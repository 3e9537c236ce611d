import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.ts";
import { exchangeRates } from "../../src/db/schema/index.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { backend, secondConnection, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createMilestone, createProject, createWorkspace } from "../helpers/factories.ts";
import { FR_SELLER } from "../helpers/sellers.ts";

async function setup(values: Parameters<typeof createWorkspace>[1] = {}) {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db, values);
  const client = await createClient(db, workspace.id);
  return { db, workspace, client, deps: serviceDeps(db) };
}

/** The database's own message for a refused statement (drizzle wraps it in "Failed query"). */
async function refusal(statement: Promise<unknown>): Promise<string> {
  try {
    await statement;
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return cause?.message ?? (error as Error).message;
  }
  return "statement succeeded";
}

const line = (over: Record<string, unknown> = {}) => ({
  description: "Design sprint",
  quantityMilli: 1000,
  unitPriceMinor: 100_000,
  vatRateBp: 2100,
  ...over,
});

describe("issueInvoice", () => {
  it("allocates one number even when issued twice", async () => {
    const { workspace, client, deps } = await setup();
    const { invoice } = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [line()],
    });
    expect(invoice.number).toBeNull();
    const first = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: invoice.id });
    const second = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: invoice.id });
    expect(first.invoice.number).toBe("F-2026-00001");
    expect(first.alreadyDone).toBe(false);
    expect(second.alreadyDone).toBe(true);
    expect(second.invoice.number).toBe("F-2026-00001");
    expect(first.invoice).toMatchObject({
      status: "issued",
      issueDate: "2026-11-23",
      dueDate: "2026-12-23",
      subtotalMinor: 100_000,
      vatMinor: 21_000,
      totalMinor: 121_000,
      openMinor: 121_000,
      exchangeRate: expect.stringMatching(/^1(\.0+)?$/),
    });
    expect(first.invoice.receiptToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(deps.enqueued).toHaveLength(1);
  });

  it("issues a draft made from a milestone, once per milestone", async () => {
    const { db, workspace, client, deps } = await setup();
    const project = await createProject(db, workspace.id, client.id);
    const milestone = await createMilestone(db, workspace.id, project.id, { amountMinor: 250_000 });
    const a = await createInvoiceDraft(testCtx(deps, workspace.id), { milestoneId: milestone.id });
    const b = await createInvoiceDraft(testCtx(deps, workspace.id), { milestoneId: milestone.id });
    expect(b.alreadyDone).toBe(true);
    expect(b.invoice.id).toBe(a.invoice.id);
    // ES seller, FR business client: intra-EU B2B service, reverse charge.
    expect(a.lines[0]).toMatchObject({ vatCategory: "AE", vatRateBp: 0, netMinor: 250_000 });
    const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: a.invoice.id });
    expect(invoice.totalMinor).toBe(250_000);
    // A client invoiced in French reads the mention French law asks for.
    const french = await createClient(db, workspace.id, { language: "fr" });
    const draft = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: french.id,
      lines: [{ description: "Audit", quantityMilli: 1000, unitPriceMinor: 10_000 }],
    });
    expect(draft.lines[0]).toMatchObject({ vatCategory: "AE" });
    expect(draft.lines[0]?.exemptionReason).toMatch(/^Autoliquidation/);
  });

  it("refuses an empty invoice, a missing client tax id and an incomplete seller", async () => {
    const { db, workspace, client, deps } = await setup({
      seller: { ...FR_SELLER, siren: undefined, siret: undefined },
    });
    const empty = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [],
    });
    await expect(
      issueInvoice(testCtx(deps, workspace.id), { invoiceId: empty.invoice.id }),
    ).rejects.toMatchObject({
      code: "invoice.empty",
    });
    const draft = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [line()],
    });
    await expect(
      issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.invoice.id }),
    ).rejects.toMatchObject({
      code: "invoice.missing_seller_identity",
      userMessage: expect.stringContaining("SIREN"),
    });
    const ok = await createWorkspace(db, { seller: FR_SELLER });
    const noTaxId = await createClient(db, ok.id, { taxId: null, siren: null });
    const d2 = await createInvoiceDraft(testCtx(deps, ok.id), { clientId: noTaxId.id, lines: [line()] });
    await expect(issueInvoice(testCtx(deps, ok.id), { invoiceId: d2.invoice.id })).rejects.toMatchObject({
      code: "invoice.missing_client_identity",
    });
  });

  it("stores the exchange rate on or before the issue date, and refuses without one", async () => {
    const { db, workspace, deps } = await setup();
    const usd = await createClient(db, workspace.id, { currency: "USD", country: "US" });
    const draft = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: usd.id,
      lines: [line()],
    });
    await expect(
      issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.invoice.id }),
    ).rejects.toMatchObject({
      code: "invoice.no_exchange_rate",
    });
    await db.insert(exchangeRates).values([
      {
        workspaceId: workspace.id,
        currency: "USD",
        baseCurrency: "EUR",
        rate: "0.9100",
        onDate: "2026-11-20",
        source: "ECB",
      },
      {
        workspaceId: workspace.id,
        currency: "USD",
        baseCurrency: "EUR",
        rate: "0.9500",
        onDate: "2026-11-30",
        source: "ECB",
      },
    ]);
    const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.invoice.id });
    expect(Number(invoice.exchangeRate)).toBe(0.91);
    expect(invoice.exchangeRateDate).toBe("2026-11-20");
    expect(invoice.currency).toBe("USD");
  });

  it("never lets numbers or dates go backwards in a series", async () => {
    const { workspace, client, deps } = await setup();
    const make = async () =>
      (await createInvoiceDraft(testCtx(deps, workspace.id), { clientId: client.id, lines: [line()] }))
        .invoice.id;
    const a = await issueInvoice(testCtx(deps, workspace.id), {
      invoiceId: await make(),
      issueDate: "2026-11-20",
    });
    const late = await make();
    await expect(
      issueInvoice(testCtx(deps, workspace.id), { invoiceId: late, issueDate: "2026-11-19" }),
    ).rejects.toMatchObject({ code: "invoice.date_backwards" });
    // The refused issue rolled back: no gap.
    const b = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: late });
    expect([a.invoice.number, b.invoice.number]).toEqual(["F-2026-00001", "F-2026-00002"]);
  });

  // 50 on the real server (the issue's target); 20 on PGlite, which serialises them anyway.
  const concurrent = backend() === "postgres" ? 50 : 20;
  it(`gives ${concurrent} concurrent issues the numbers 1..${concurrent} with no gap and no duplicate`, async () => {
    const { db, workspace, client } = await setup();
    const deps = serviceDeps(db, fixedClock("2026-11-23T09:00:00Z"));
    const ids: string[] = [];
    for (let i = 0; i < concurrent; i++) {
      ids.push(
        (await createInvoiceDraft(testCtx(deps, workspace.id), { clientId: client.id, lines: [line()] }))
          .invoice.id,
      );
    }
    const other = secondConnection();
    try {
      const results = await Promise.all(
        ids.map((invoiceId, i) =>
          issueInvoice(testCtx(i % 2 && other ? serviceDeps(other.db) : deps, workspace.id), {
            invoiceId,
          }),
        ),
      );
      const numbers = results.map((r) => Number(r.invoice.number?.slice(-5))).sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: concurrent }, (_, i) => i + 1));
    } finally {
      await other?.close();
    }
  });

  it("cannot be changed or deleted by raw SQL once issued", async () => {
    const { db, workspace, client, deps } = await setup();
    const draft = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [line()],
    });
    const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.invoice.id });
    expect(
      await refusal(db.execute(sql`update invoices set total_minor = 1 where id = ${invoice.id}`)),
    ).toMatch(/issued invoice/);
    expect(
      await refusal(
        db.execute(sql`update invoice_lines set unit_price_minor = 1 where invoice_id = ${invoice.id}`),
      ),
    ).toMatch(/issued invoice/);
    expect(await refusal(db.execute(sql`delete from invoices where id = ${invoice.id}`))).toMatch(
      /issued invoice/,
    );
    expect(
      await refusal(db.execute(sql`delete from invoice_lines where invoice_id = ${invoice.id}`)),
    ).toMatch(/issued invoice/);
    // Status and open amount still move (payments, credit notes).
    await db.execute(sql`update invoices set sent_at = now() where id = ${invoice.id}`);
    const [row] = await queryRows<{ total_minor: string }>(
      db,
      sql`select total_minor from invoices where id = ${invoice.id}`,
    );
    expect(Number(row?.total_minor)).toBe(121_000);
    expect(
      await refusal(db.execute(sql`update invoices set status = 'draft' where id = ${invoice.id}`)),
    ).toMatch(/issued invoice/);
  });
});
