// What `cobro import people` says about a person is used: their approver approves their week when
// the project names none, and their default rate prices their time when the project has none.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { importCommand } from "../../src/cli/import.ts";
import type { Database } from "../../src/db/client.ts";
import { deliveries, invoiceLines, invoices, projects, timesheets } from "../../src/db/schema/index.ts";
import { approveTimesheet } from "../../src/timesheets/approve-timesheet.ts";
import { runBillingCycle } from "../../src/timesheets/run-billing-cycle.ts";
import { submitTimesheet } from "../../src/timesheets/submit-timesheet.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { entry, logEntries, timesheetWorld } from "../helpers/timesheets.ts";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});

describe(`people's defaults from cobro import people, on ${backend()}`, () => {
  it("routes Ada's week to her approver and prices it at her default rate", async () => {
    const world = await timesheetWorld(database.db);
    await database.db.update(projects).set({ hourlyRateMinor: null }).where(eq(projects.id, world.atlas.id));
    const file = join(mkdtempSync(join(tmpdir(), "cobro-people-")), "people.csv");
    writeFileSync(
      file,
      "email,name,hourly_rate,approver_email\nada@acme.example,Ada Lovelace,90,grace@acme.example\n",
    );
    const deps = serviceDeps(database.db);
    const imported = await cliRunner(importCommand, { deps, database }).run(
      "people",
      file,
      "--workspace",
      world.workspace.id,
    );
    expect(imported.out).toContain("1 updated");

    await logEntries(database.db, world.workspace.id, [entry({ workDate: "2026-11-02", minutes: 90 })]);
    const [sheet] = await database.db
      .select()
      .from(timesheets)
      .where(eq(timesheets.workspaceId, world.workspace.id));
    const submitted = await submitTimesheet(testCtx(deps, world.workspace.id, world.actorOf(world.ada)), {
      timesheetId: sheet!.id,
    });
    const [request] = await database.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.workspaceId, world.workspace.id), eq(deliveries.kind, "slack_dm")));
    expect(request?.payload).toMatchObject({ approverMemberId: world.grace.id });

    const approved = await approveTimesheet(testCtx(deps, world.workspace.id, world.actorOf(world.grace)), {
      timesheetId: sheet!.id,
      expectedVersion: submitted.version,
    });
    expect(approved.status).toBe("approved");
    await runBillingCycle(testCtx(deps, world.workspace.id), { asOf: "2026-12-01" });
    const [draft] = await database.db
      .select()
      .from(invoices)
      .where(eq(invoices.workspaceId, world.workspace.id));
    const lines = await database.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, draft!.id));
    expect(lines.map((l) => [l.quantityMilli, l.unitPriceMinor])).toEqual([[1500, 9000]]);
  });
});
