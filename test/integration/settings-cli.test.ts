// `cobro settings show|set|unset` through the in-process runner, on the real database.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { settingsCommand } from "../../src/cli/settings.ts";
import type { Database } from "../../src/db/client.ts";
import { workspaces } from "../../src/db/schema/index.ts";
import { createCreditNote } from "../../src/invoicing/create-credit-note.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});

async function setUp() {
  const workspace = await createWorkspace(database.db);
  const { run } = cliRunner(settingsCommand, { deps: serviceDeps(database.db), database });
  const cli = (...args: string[]) => run(...args, "--workspace", workspace.id);
  const stored = async () =>
    (await database.db.select().from(workspaces).where(eq(workspaces.id, workspace.id)))[0]!;
  return { workspace, cli, stored };
}

describe(`cobro settings on ${backend()}`, () => {
  it("shows every setting with its default, and sets and unsets them with checked values", async () => {
    const { cli, stored } = await setUp();
    const shown = await cli("show");
    expect(shown.code).toBe(0);
    for (const key of ["jurisdiction", "aging_edges", "overdue_scan_hour", "bic", "rcs", "trade_name"]) {
      expect(shown.out).toMatch(new RegExp(`^${key} +\\(default\\)`, "m"));
    }

    expect(await cli("set", "aging_edges", "30, 60, 90, 120")).toEqual({
      code: 0,
      out: "aging_edges is now 30, 60, 90, 120.",
    });
    expect(await cli("set", "jurisdiction", "fr")).toMatchObject({ code: 0 });
    expect(await cli("set", "overdue_scan_hour", "7")).toMatchObject({ code: 0 });
    expect(await cli("set", "approval_reminder_days", "5")).toMatchObject({ code: 0 });
    expect(await cli("set", "bic", "bnpafrppxxx")).toMatchObject({ code: 0 });
    expect(await cli("set", "share_capital", "10 000 EUR")).toMatchObject({ code: 0 });
    expect(await cli("set", "payment_link", "https://pay.example.com/acme")).toMatchObject({ code: 0 });
    const after = await stored();
    expect(after.settings).toMatchObject({
      agingEdges: [30, 60, 90, 120],
      jurisdiction: "FR",
      overdueScanHour: 7,
      approvalReminderDays: 5,
    });
    expect(after.seller).toMatchObject({
      bic: "BNPAFRPPXXX",
      shareCapital: "10 000 EUR",
      paymentLink: "https://pay.example.com/acme",
      legalName: "Acme Consulting SL",
    });
    expect((await cli("show")).out).toMatch(/^aging_edges +30,60,90,120 /m);
    expect(await cli("set", "bic", "BNPAFRPPXXX")).toEqual({
      code: 0,
      out: "bic was already BNPAFRPPXXX: nothing changed.",
    });

    expect(await cli("unset", "jurisdiction")).toEqual({
      code: 0,
      out: "jurisdiction is unset: its default applies.",
    });
    expect((await stored()).settings.jurisdiction).toBeUndefined();
  });

  it("refuses a bad value with the rule it breaks, and changes nothing", async () => {
    const { cli, stored } = await setUp();
    const before = await stored();
    const refusals: [string, string, RegExp][] = [
      ["aging_edges", "60,30", /increasing whole numbers of days/],
      ["aging_edges", "thirty", /whole days separated by commas/],
      ["overdue_scan_hour", "25", /between 0 and 23/],
      ["jurisdiction", "DE", /Use EU, FR or ES/],
      ["billing_cadence", "daily", /monthly or weekly/],
      ["approval_reminder_days", "0", /between 1 and 30/],
      ["invoice_number_format", "F-{YYYY}", /exactly one \{N…\} counter/],
      ["bic", "BNP", /8 or 11 letters/],
      ["payment_link", "http://pay.example.com", /https:\/\//],
      ["colour", "blue", /There is no setting "colour"/],
    ];
    for (const [key, value, why] of refusals) {
      const result = await cli("set", key, value);
      expect(result.code, `${key} ${value}`).toBe(2);
      expect(result.out).toMatch(new RegExp(`^${key}: `));
      expect(result.out).toMatch(why);
    }
    const after = await stored();
    expect(after.settings).toEqual(before.settings);
    expect(after.seller).toEqual(before.seller);
  });

  it("number formats set by name number the next invoice and credit note", async () => {
    const { workspace, cli } = await setUp();
    expect(await cli("set", "invoice_number_format", "FAC{YY}-{NNNN}")).toMatchObject({ code: 0 });
    expect(await cli("set", "credit_note_number_format", "RECT-{YYYY}-{NNN}")).toMatchObject({ code: 0 });
    const deps = serviceDeps(database.db);
    const client = await createClient(database.db, workspace.id);
    const draft = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [{ description: "Consulting", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2100 }],
    });
    const { invoice } = await issueInvoice(testCtx(deps, workspace.id), {
      invoiceId: draft.invoice.id,
    });
    expect(invoice.number).toBe("FAC26-0001");
    const { creditNote } = await createCreditNote(testCtx(deps, workspace.id), {
      invoiceId: invoice.id,
      reason: "Half a day not delivered",
      lines: [{ description: "Consulting", quantityMilli: 500, unitPriceMinor: 100_000, vatRateBp: 2100 }],
    });
    expect(creditNote.number).toBe("RECT-2026-001");
  });
});
