// `cobro import <kind> FILE --day-first`: a Spanish or French company's own export (14/06/2026) imports.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { importCommand } from "../../src/cli/import.ts";
import type { Database } from "../../src/db/client.ts";
import { invoices, payments } from "../../src/db/schema/index.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";

let database: Database;

beforeAll(async () => {
  database = await testDatabase();
});

async function setUp() {
  const workspace = await createWorkspace(database.db);
  await createClient(database.db, workspace.id, { externalId: "C-ES" });
  const cli = cliRunner(importCommand, { deps: serviceDeps(database.db), database });
  const file = (name: string, csv: string) => {
    const path = join(cli.dataDir, name);
    writeFileSync(path, csv);
    return path;
  };
  const run = (kind: string, path: string, ...flags: string[]) =>
    cli.run(kind, path, "--workspace", workspace.id, ...flags);
  return { workspace, file, run };
}

const INVOICES = [
  "number;client_external_id;issue_date;due_date;currency;total",
  "F-1;C-ES;14/06/2026;14/07/2026;EUR;1.210,00",
  "F-2;C-ES;1-6-2026;31.07.2026;EUR;500,00",
].join("\n");
const PAYMENTS = ["invoice_number;date;amount", "F-1;03/07/2026;210,00", "F-2;9.7.2026;500,00"].join("\n");

describe(`cobro import --day-first on ${backend()}`, () => {
  it("reads an invoices and a payments export written day first, and stores the dates right", async () => {
    const { workspace, file, run } = await setUp();
    const imported = await run("invoices", file("invoices.csv", INVOICES), "--day-first", "--decimal-comma");
    expect(imported.out).toContain("2 created");
    const paid = await run("payments", file("payments.csv", PAYMENTS), "--day-first", "--decimal-comma");
    expect(paid.out).toContain("2 created");

    const rows = await database.db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id));
    const byNumber = Object.fromEntries(rows.map((r) => [r.number, r]));
    expect(byNumber["F-1"]).toMatchObject({ issueDate: "2026-06-14", dueDate: "2026-07-14" });
    expect(byNumber["F-2"]).toMatchObject({ issueDate: "2026-06-01", dueDate: "2026-07-31", status: "paid" });
    const paidOn = await database.db.select().from(payments).where(eq(payments.workspaceId, workspace.id));
    expect(paidOn.map((p) => p.paidOn).sort()).toEqual(["2026-07-03", "2026-07-09"]);
  });

  it("without --day-first names every day-first cell and the option, and imports nothing", async () => {
    const { workspace, file, run } = await setUp();
    const refused = await run("invoices", file("invoices.csv", INVOICES), "--decimal-comma");
    expect(refused.code).toBe(2);
    expect(refused.out).toContain("4 problem(s), nothing was imported");
    for (const [line, column, cell] of [
      [2, "issue_date", "14/06/2026"],
      [2, "due_date", "14/07/2026"],
      [3, "issue_date", "1-6-2026"],
      [3, "due_date", "31.07.2026"],
    ]) {
      expect(refused.out).toContain(
        `line ${line}, column ${column}: "${cell}" is not a date YYYY-MM-DD; for day-first dates like 14/06/2026 add --day-first`,
      );
    }
    expect(await database.db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id))).toEqual(
      [],
    );
  });

  it("reads a file that mixes ISO and day-first dates, and refuses a day that does not exist", async () => {
    const { workspace, file, run } = await setUp();
    const mixed = [
      "number,client_external_id,issue_date,due_date,currency,total",
      "F-1,C-ES,2026-06-14,14/07/2026,EUR,100",
    ].join("\n");
    const ok = await run("invoices", file("mixed.csv", mixed), "--day-first");
    expect(ok.out).toContain("1 created");
    const [invoice] = await database.db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id));
    expect(invoice).toMatchObject({ issueDate: "2026-06-14", dueDate: "2026-07-14" });

    const impossible = [
      "invoice_number,date,amount",
      "F-1,31/02/2026,10",
      "F-1,06/14/2026,10",
      "F-1,2026-02-30,10",
    ].join("\n");
    const refused = await run("payments", file("impossible.csv", impossible), "--day-first");
    expect(refused.code).toBe(2);
    expect(refused.out).toContain(
      'line 2, column date: "31/02/2026" is not a day of the calendar (read as DD/MM/YYYY)',
    );
    expect(refused.out).toContain(
      'line 3, column date: "06/14/2026" is not a day of the calendar (read as DD/MM/YYYY)',
    );
    expect(refused.out).toContain(
      'line 4, column date: "2026-02-30" is not a day of the calendar (read as YYYY-MM-DD)',
    );
    expect(await database.db.select().from(payments).where(eq(payments.workspaceId, workspace.id))).toEqual(
      [],
    );
  });
});
