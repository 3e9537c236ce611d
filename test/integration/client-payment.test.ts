import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { payCommand } from "../../src/cli/pay.ts";
import { invoices, payments } from "../../src/db/schema/index.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import { recordClientPayment } from "../../src/invoicing/record-client-payment.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, secondConnection, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";

async function world() {
  const database = await testDatabase();
  const { db } = database;
  const deps = serviceDeps(db);
  const workspace = await createWorkspace(db);
  const client = await createClient(db, workspace.id, { name: "Globex SL", externalId: "GLOBEX" });
  const make = (number: string, dueDate: string, totalMinor: number, currency = "EUR") =>
    createIssuedInvoice(db, workspace.id, client.id, { number, dueDate, totalMinor, currency });
  const oldest = await make("F-1", "2026-09-30", 100_000);
  const middle = await make("F-2", "2026-10-31", 121_000);
  const newest = await make("F-3", "2026-12-31", 50_000);
  const dollars = await make("F-4", "2026-08-31", 30_000, "USD");
  const openOf = async () =>
    Object.fromEntries(
      (await db.select().from(invoices).where(eq(invoices.clientId, client.id))).map((i) => [
        i.number,
        [i.status, i.openMinor],
      ]),
    );
  return { database, db, deps, workspace, client, oldest, middle, newest, dollars, openOf };
}

describe(`a client's payment that names no invoice on ${backend()}`, () => {
  it("settles its invoices in that currency oldest due first, once per bank reference", async () => {
    const w = await world();
    const pay = {
      client: "GLOBEX",
      amount: "1500.00",
      paidOn: "2026-11-20",
      reference: "BANK-7781",
    };
    const first = await recordClientPayment(testCtx(w.deps, w.workspace.id), pay);
    expect(first).toMatchObject({
      clientName: "Globex SL",
      currency: "EUR",
      alreadyDone: false,
      allocations: [
        { number: "F-1", amountMinor: 100_000 },
        { number: "F-2", amountMinor: 50_000 },
      ],
    });
    expect(await w.openOf()).toEqual({
      "F-1": ["paid", 0],
      "F-2": ["partially_paid", 71_000],
      "F-3": ["issued", 50_000],
      "F-4": ["issued", 30_000],
    });
    // The same bank line again (retry, double import) applies nothing more.
    expect(await recordClientPayment(testCtx(w.deps, w.workspace.id), pay)).toMatchObject({
      alreadyDone: true,
      allocations: [],
    });
    expect(await w.db.select().from(payments).where(eq(payments.workspaceId, w.workspace.id))).toHaveLength(
      2,
    );
    // Each part is an ordinary payment: its invoice's thread hears of it.
    expect(w.deps.enqueued.length).toBeGreaterThanOrEqual(2);
  });

  it("refuses more than is open, changing nothing, and says why", async () => {
    const w = await world();
    const refused = await recordClientPayment(testCtx(w.deps, w.workspace.id), {
      client: w.client.id,
      amount: "2710.01",
      paidOn: "2026-11-20",
    }).catch((e) => e);
    expect(isDomainError(refused) && refused.userMessage).toMatch(/more than the 3 open invoice/);
    expect(await w.db.select().from(payments).where(eq(payments.workspaceId, w.workspace.id))).toHaveLength(
      0,
    );
    const noDollars = await recordClientPayment(testCtx(w.deps, w.workspace.id), {
      client: w.client.id,
      amount: "10",
      currency: "GBP",
      paidOn: "2026-11-20",
    }).catch((e) => e);
    expect(isDomainError(noDollars) && noDollars.userMessage).toBe(
      "Globex SL has no open invoice in GBP: nothing to apply the payment to.",
    );
  });

  it("two payments at once never apply more than is open", async () => {
    const w = await world();
    const other = secondConnection();
    const pay = (db: typeof w.db, reference: string) =>
      recordClientPayment(testCtx(serviceDeps(db), w.workspace.id), {
        client: w.client.id,
        amount: "2000",
        paidOn: "2026-11-20",
        reference,
      }).catch((e) => e);
    const [a, b] = await Promise.all([pay(w.db, "A"), pay(other?.db ?? w.db, "B")]);
    await other?.close();
    // 2,710.00 is open in euros: the first 2,000 fits, the second does not.
    expect([a, b].filter((r) => isDomainError(r))).toHaveLength(1);
    const paid = await w.db.select().from(payments).where(eq(payments.workspaceId, w.workspace.id));
    expect(paid.reduce((sum, p) => sum + p.amountMinor, 0)).toBe(200_000);
  });

  it("cobro pay applies it and says where the money went", async () => {
    const w = await world();
    const cli = cliRunner(payCommand, { deps: w.deps, database: w.database });
    expect(
      await cli.run("Globex SL", "1000.00", "--date", "2026-11-20", "--workspace", w.workspace.id),
    ).toEqual({
      code: 0,
      out: "Applied to 1 invoice(s) of Globex SL, oldest first: F-1 1000.00 EUR.",
    });
    // A decimal comma reads as a Spanish or French operator writes it, as in Slack.
    expect(await cli.run("Globex SL", "1000,00", "--workspace", w.workspace.id)).toEqual({
      code: 0,
      out: "Applied to 1 invoice(s) of Globex SL, oldest first: F-2 1000.00 EUR.",
    });
    await expect(cli.run("Globex SL", "mil", "--workspace", w.workspace.id)).rejects.toMatchObject({
      userMessage: '"mil" is not an amount (unexpected characters or separators); write it like 1234.56.',
    });
  });
});
