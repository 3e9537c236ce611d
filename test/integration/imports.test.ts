import { readFileSync } from "node:fs";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import {
  auditLog,
  clients,
  invoices,
  members,
  milestones,
  payments,
  projects,
} from "../../src/db/schema/index.ts";
import type { ImportKind } from "../../src/domain/import-rows.ts";
import { importCsv } from "../../src/imports/import-csv.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

let database: Database;

async function run(
  workspaceId: string,
  kind: ImportKind,
  csv: string | Uint8Array,
  options: { dryRun?: boolean; decimalComma?: boolean } = {},
) {
  return importCsv(testCtx(serviceDeps(database.db), workspaceId), { kind, csv, ...options });
}

async function importAll(workspaceId: string) {
  const results = [];
  for (const kind of ["clients", "projects", "milestones", "invoices", "payments"] as const) {
    results.push(await run(workspaceId, kind, fixture(`${kind}.csv`)));
  }
  return results;
}

beforeAll(async () => {
  database = await testDatabase();
});

describe(`CSV imports on ${backend()}`, () => {
  it("imports every kind from the fixtures, with exact amounts and consistent invoice status", async () => {
    const { db } = database;
    const workspace = await createWorkspace(db);
    const results = await importAll(workspace.id);
    for (const result of results) expect(result.errors).toEqual([]);
    expect(results.map((r) => r.created)).toEqual([4, 3, 3, 3, 4]);
    expect(results[0]?.membersCreated).toBe(1);
    expect(results[1]?.membersCreated).toBe(3);

    const [acme] = await db
      .select()
      .from(clients)
      .where(and(eq(clients.workspaceId, workspace.id), eq(clients.externalId, "C-ACME")));
    expect(acme).toMatchObject({
      profile: "business",
      emails: ["ap@acme.example", "tesoreria@acme.example"],
      paymentTermsDays: 60,
      language: "es",
      country: "ES",
    });
    const [jones] = await db
      .select()
      .from(clients)
      .where(and(eq(clients.workspaceId, workspace.id), eq(clients.externalId, "C-JONES")));
    expect(jones).toMatchObject({ currency: "GBP", paymentTermsDays: 30, taxId: null });
    const [bright] = await db
      .select()
      .from(clients)
      .where(and(eq(clients.workspaceId, workspace.id), eq(clients.externalId, "C-BRIGHT")));
    expect(bright?.name).toBe("Brightwave, Inc.");
    expect(bright?.emails).toEqual(["ap@brightwave.example", "ops@brightwave.example"]);

    const projectRows = await db.select().from(projects).where(eq(projects.workspaceId, workspace.id));
    const atlas = projectRows.find((p) => p.code === "atlas");
    expect(atlas).toMatchObject({
      currency: "EUR",
      hourlyRateMinor: 8550,
      slackChannelId: "C0ATLAS01",
      billingMode: "fixed",
    });
    expect(projectRows.find((p) => p.code === "lyon-bi")?.hourlyRateMinor).toBe(120000);
    const people = await db.select().from(members).where(eq(members.workspaceId, workspace.id));
    const pms = people.filter((m) => m.roles.includes("pm"));
    expect(pms.map((m) => m.email).sort()).toEqual(["ana.pm@consult.example", "luc.pm@consult.example"]);
    expect(atlas?.pmMemberId).toBe(pms.find((m) => m.email === "ana.pm@consult.example")?.id);

    const ms = await db.select().from(milestones).where(eq(milestones.workspaceId, workspace.id));
    expect(ms.find((m) => m.name === "Build")).toMatchObject({
      amountMinor: 2450050,
      currency: "EUR",
      plannedDate: "2026-03-31",
      status: "planned",
    });
    expect(ms.find((m) => m.name === "Kick-off")?.plannedDate).toBeNull();

    const inv = await db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id));
    const byNumber = new Map(inv.map((i) => [i.number, i]));
    expect(byNumber.get("A-2025-0101")).toMatchObject({
      totalMinor: 1452000,
      openMinor: 752000,
      status: "partially_paid",
      external: "import",
    });
    expect(byNumber.get("A-2025-0102")).toMatchObject({ totalMinor: 180000, openMinor: 0, status: "paid" });
    expect(byNumber.get("A-2025-0103")).toMatchObject({
      currency: "USD",
      totalMinor: 999999,
      openMinor: 999999,
      status: "issued",
      projectId: null,
    });

    const pays = await db.select().from(payments).where(eq(payments.workspaceId, workspace.id));
    expect(pays).toHaveLength(4);
    expect(pays.reduce((sum, p) => sum + p.amountMinor, 0)).toBe(880000);

    const audit = await db.select().from(auditLog).where(eq(auditLog.workspaceId, workspace.id));
    expect(audit.filter((a) => a.action === "payment.imported")).toHaveLength(4);
    expect(audit.filter((a) => a.action === "invoice.imported")).toHaveLength(3);
    expect(
      audit.find(
        (a) => a.action === "invoice.payment_recorded" && (a.after as { status: string }).status === "paid",
      ),
    ).toBeDefined();
  });

  it("re-importing the same files changes nothing, and an edited row is updated in place", async () => {
    const { db } = database;
    const workspace = await createWorkspace(db);
    await importAll(workspace.id);
    const again = await importAll(workspace.id);
    expect(again.map((r) => [r.created, r.updated, r.unchanged])).toEqual([
      [0, 0, 4],
      [0, 0, 3],
      [0, 0, 3],
      [0, 0, 3],
      [0, 0, 4],
    ]);
    expect(await db.select().from(payments).where(eq(payments.workspaceId, workspace.id))).toHaveLength(4);

    // Issued invoices are immutable: a changed due date is refused, a changed open amount follows.
    const source = readFileSync(new URL("../fixtures/invoices.csv", import.meta.url), "utf8");
    const redated = await run(
      workspace.id,
      "invoices",
      source.replace("2025-11-30,EUR,14520.00", "2025-12-15,EUR,14520.00"),
    );
    expect(redated.errors).toEqual([
      expect.objectContaining({
        line: 2,
        column: "due_date",
        message: expect.stringContaining("credit note"),
      }),
    ]);
    const settled = source
      .replace("currency,total", "currency,total,open_amount")
      .replace(/\n(A-2025-0101.*)/, "\n$1,10000")
      .replace(/\n(A-2025-0102.*)/, "\n$1,")
      .replace(/\n(A-2025-0103.*)/, "\n$1,");
    const result = await run(workspace.id, "invoices", settled);
    expect([result.created, result.updated, result.unchanged]).toEqual([0, 1, 2]);
    const [invoice] = await db
      .select()
      .from(invoices)
      .where(and(eq(invoices.workspaceId, workspace.id), eq(invoices.number, "A-2025-0101")));
    // Payments imported since still count: open = open at import − payments recorded in Cobro.
    expect(invoice).toMatchObject({ dueDate: "2025-11-30", openMinor: 300000, status: "partially_paid" });
  });

  it("a file with several bad rows imports nothing and reports every error with its line and column", async () => {
    const { db } = database;
    const workspace = await createWorkspace(db);
    const result = await run(workspace.id, "clients", fixture("clients-with-errors.csv"));
    const seen = result.errors.map((e) => `${e.line}:${e.column}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        "3:name",
        "3:profile",
        "3:emails",
        "3:currency",
        "5:payment_terms_days",
        "5:language",
        "5:country",
        "6:external_id",
      ]),
    );
    expect(result.errors.every((e) => e.line !== 2)).toBe(true);
    expect(result.errors.find((e) => e.line === 6)?.message).toBe("repeats line 2");
    expect(result.rolledBack).toBe(true);
    expect(await db.select().from(clients).where(eq(clients.workspaceId, workspace.id))).toEqual([]);
  });

  it("refuses an overpayment as a row error and imports none of the file's payments", async () => {
    const { db } = database;
    const workspace = await createWorkspace(db);
    const client = await createClient(db, workspace.id);
    await createIssuedInvoice(db, workspace.id, client.id, { number: "X-1", totalMinor: 10000 });
    const csv = "invoice_number,date,amount\nX-1,2026-11-01,60\nX-1,2026-11-02,50.01\nX-9,2026-11-02,1\n";
    const result = await run(workspace.id, "payments", csv);
    expect(result.errors).toEqual([
      {
        line: 3,
        column: "amount",
        message: "50.01 EUR is more than the 40.00 EUR still open on invoice X-1",
      },
      {
        line: 4,
        column: "invoice_number",
        message: 'no invoice "X-9" in this workspace (import invoices first)',
      },
    ]);
    const [invoice] = await db
      .select()
      .from(invoices)
      .where(and(eq(invoices.workspaceId, workspace.id), eq(invoices.number, "X-1")));
    expect(invoice).toMatchObject({ openMinor: 10000, status: "issued" });
    expect(await db.select().from(payments).where(eq(payments.workspaceId, workspace.id))).toEqual([]);
  });

  it("reads 1.234,56 with --decimal-comma and ; separators, and refuses it without", async () => {
    const { db } = database;
    const workspace = await createWorkspace(db);
    await importAll(workspace.id);
    const without = await run(workspace.id, "invoices", fixture("invoices-decimal-comma.csv"));
    expect(without.errors.map((e) => `${e.line}:${e.column}`)).toEqual([
      "2:total",
      "2:open_amount",
      "3:total",
    ]);
    const result = await run(workspace.id, "invoices", fixture("invoices-decimal-comma.csv"), {
      decimalComma: true,
    });
    expect(result.errors).toEqual([]);
    expect(result.created).toBe(2);
    const rows = await db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id));
    expect(rows.find((i) => i.number === "B-2025-0001")).toMatchObject({
      totalMinor: 123456,
      openMinor: 23456,
      status: "partially_paid",
    });
    expect(rows.find((i) => i.number === "B-2025-0002")).toMatchObject({
      currency: "GBP",
      totalMinor: 9950,
      status: "issued",
    });
  });

  it("a dry run reports what would happen and writes nothing", async () => {
    const { db } = database;
    const workspace = await createWorkspace(db);
    const result = await run(workspace.id, "clients", fixture("clients.csv"), { dryRun: true });
    expect(result).toMatchObject({ dryRun: true, rolledBack: true, created: 4, errors: [] });
    expect(await db.select().from(clients).where(eq(clients.workspaceId, workspace.id))).toEqual([]);
    expect(await db.select().from(auditLog).where(eq(auditLog.workspaceId, workspace.id))).toEqual([]);
  });

  it("one workspace cannot see or touch another's rows", async () => {
    const { db } = database;
    const mine = await createWorkspace(db);
    const theirs = await createWorkspace(db);
    await importAll(theirs.id);
    // Same external ids and numbers in another workspace: created there, not matched here.
    const projectsResult = await run(mine.id, "projects", fixture("projects.csv"));
    expect(projectsResult.errors.map((e) => `${e.line}:${e.column}`)).toEqual([
      "2:client_external_id",
      "3:client_external_id",
      "4:client_external_id",
    ]);
    const paymentsResult = await run(mine.id, "payments", fixture("payments.csv"));
    expect(paymentsResult.errors).toHaveLength(4);
    const clientsResult = await run(mine.id, "clients", fixture("clients.csv"));
    expect(clientsResult.created).toBe(4);
    const theirInvoice = await db
      .select()
      .from(invoices)
      .where(and(eq(invoices.workspaceId, theirs.id), eq(invoices.number, "A-2025-0101")));
    expect(theirInvoice[0]?.openMinor).toBe(752000);
  });

  it("reports header problems on line 1", async () => {
    const workspace = await createWorkspace(database.db);
    const result = await run(workspace.id, "milestones", "project_code,title,amount\natlas,Design,10\n");
    expect(result.errors).toEqual([
      expect.objectContaining({ line: 1, column: "title" }),
      { line: 1, column: "name", message: "required column is missing" },
    ]);
  });
});
