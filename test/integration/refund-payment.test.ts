import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invoiceCommand } from "../../src/cli/invoice.ts";
import { payCommand } from "../../src/cli/pay.ts";
import { statementCommand } from "../../src/cli/statement.ts";
import { auditLog, refunds } from "../../src/db/schema/index.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";

async function paidThenCredited() {
  const database = await testDatabase();
  const { db } = database;
  const deps = serviceDeps(db);
  const workspace = await createWorkspace(db);
  const client = await createClient(db, workspace.id, {
    name: "Refundia SL",
    externalId: `RF-${workspace.id}`,
  });
  const app = { deps, database };
  const ws = ["--workspace", workspace.id];
  const invoice = cliRunner(invoiceCommand, app);
  const pay = cliRunner(payCommand, app);
  const statement = cliRunner(statementCommand, app);
  const { invoice: draft } = await createInvoiceDraft(testCtx(deps, workspace.id), {
    clientId: client.id,
    lines: [{ description: "Audit", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2100 }],
  });
  const issued = await invoice.run("issue", draft.id, ...ws);
  const number = /F-\S+\d/.exec(issued.out)?.[0] ?? "";
  expect(number).not.toBe("");
  expect((await pay.run(client.externalId ?? "", "1210.00", "--date", "2026-11-20", ...ws)).code).toBe(0);
  const credited = await invoice.run("credit", number, "--amount", "200", "--reason", "Goodwill", ...ws);
  expect(credited.out).toContain("refund due to the client: 242.00 EUR");
  const note = /credit note (\S+):/.exec(credited.out)?.[1] ?? "";
  expect(note).not.toBe("");
  const statementLine = async () => {
    const result = await statement.run(
      client.externalId ?? "",
      "--out",
      join(statement.dataDir, "statement.pdf"),
      ...ws,
    );
    return result.out;
  };
  return { db, workspace, number, note, ws, pay, invoice, statementLine };
}

describe(`cobro pay refund on ${backend()}`, () => {
  it("records a refund in parts, once per reference, until the statement shows nothing due", async () => {
    const w = await paidThenCredited();
    expect(await w.statementLine()).toContain(`refund due to the client: 242.00 EUR (${w.number})`);

    const part = ["refund", w.note, "100.00", "--date", "2026-11-25", "--reference", "OUT-1", ...w.ws];
    expect(await w.pay.run(...part)).toEqual({
      code: 0,
      out: `Recorded a refund of 100.00 EUR on ${w.note} (${w.number}); still due to the client: 142.00 EUR.`,
    });
    expect(await w.statementLine()).toContain(`refund due to the client: 142.00 EUR (${w.number})`);

    // The same bank line again (retry, double import) records nothing more.
    expect((await w.pay.run(...part)).out).toBe(
      `Already recorded: this refund on ${w.note} was recorded before; nothing changed (still due to the client: 142.00 EUR).`,
    );
    expect(await w.db.select().from(refunds).where(eq(refunds.workspaceId, w.workspace.id))).toHaveLength(1);
    expect(await w.statementLine()).toContain("refund due to the client: 142.00 EUR");

    await expect(
      w.pay.run("refund", w.note, "142.01", "--reference", "OUT-2", ...w.ws),
    ).rejects.toMatchObject({
      code: "refund.exceeds_due",
      userMessage: expect.stringContaining("€142.01 is more than the €142.00 due back to the client"),
    });
    expect((await w.pay.run("refund", w.note, "142.00", "--reference", "OUT-2", ...w.ws)).out).toBe(
      `Recorded a refund of 142.00 EUR on ${w.note} (${w.number}); nothing more is due to the client.`,
    );
    const after = await w.statementLine();
    expect(after).toContain("Refundia SL");
    expect(after).not.toContain("refund due");

    await expect(w.pay.run("refund", w.note, "1.00", "--reference", "OUT-3", ...w.ws)).rejects.toMatchObject({
      code: "refund.nothing_due",
      userMessage: expect.stringContaining(`Nothing is due back to the client on ${w.number}`),
    });
    // A later credit note on the same invoice owes only its own amount back, not the refunded one.
    const again = await w.invoice.run(
      "credit",
      w.number,
      "--amount",
      "100",
      "--reason",
      "More goodwill",
      ...w.ws,
    );
    expect(again.out).toContain("refund due to the client: 121.00 EUR.");
    expect(await w.statementLine()).toContain(`refund due to the client: 121.00 EUR (${w.number})`);
    const audited = await w.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, w.workspace.id), eq(auditLog.action, "invoice.refund_paid")))
      .orderBy(auditLog.id);
    expect(audited.map((a) => a.after)).toEqual([
      expect.objectContaining({ amountMinor: 10_000, refundDueMinor: 14_200, reference: "OUT-1" }),
      expect.objectContaining({ amountMinor: 14_200, refundDueMinor: 0, reference: "OUT-2" }),
    ]);
  });

  it("names what is wrong: an unknown credit note, an invoice number, a zero amount", async () => {
    const w = await paidThenCredited();
    await expect(w.pay.run("refund", "NC-404", "10.00", ...w.ws)).rejects.toMatchObject({
      code: "refund.credit_note_not_found",
      userMessage: expect.stringContaining('no credit note numbered "NC-404"'),
    });
    await expect(w.pay.run("refund", w.number, "10.00", ...w.ws)).rejects.toMatchObject({
      code: "refund.credit_note_not_found",
    });
    await expect(w.pay.run("refund", w.note, "0.00", ...w.ws)).rejects.toMatchObject({
      code: "refund.amount",
    });
    await expect(w.pay.run("refund", w.note, "10.00", "--currency", "USD", ...w.ws)).rejects.toMatchObject({
      code: "cli.usage",
    });
    expect(await w.db.select().from(refunds).where(eq(refunds.workspaceId, w.workspace.id))).toHaveLength(0);
    expect(await w.statementLine()).toContain("refund due to the client: 242.00 EUR");
  });
});
