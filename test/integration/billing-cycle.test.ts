import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import {
  deliveries,
  invoiceLines,
  invoices,
  projectRates,
  timeEntries,
  timesheets,
} from "../../src/db/schema/index.ts";
import { editInvoiceDraft } from "../../src/invoicing/edit-invoice-draft.ts";
import { approveTimesheets } from "../../src/timesheets/approve-timesheets.ts";
import { runBillingCycle } from "../../src/timesheets/run-billing-cycle.ts";
import { submitTimesheet } from "../../src/timesheets/submit-timesheet.ts";
import { secondConnection, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { entry, logEntries, timesheetWorld } from "../helpers/timesheets.ts";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});

async function approvedMonth() {
  const world = await timesheetWorld(database.db);
  await logEntries(database.db, world.workspace.id, [
    entry({ workDate: "2026-11-02", minutes: 450 }),
    entry({ workDate: "2026-11-03", minutes: 1, projectCode: "ORION" }),
    entry({
      workDate: "2026-11-04",
      minutes: 120,
      personEmail: "grace@acme.example",
      personName: "Grace Hopper",
    }),
    entry({ workDate: "2026-11-05", minutes: 60, billable: false }),
    entry({ workDate: "2026-12-01", minutes: 60 }),
  ]);
  await database.db.insert(projectRates).values({
    workspaceId: world.workspace.id,
    projectId: world.atlas.id,
    personEmail: "grace@acme.example",
    hourlyRateMinor: 12000,
  });
  const deps = serviceDeps(database.db);
  const sheets = await database.db
    .select()
    .from(timesheets)
    .where(eq(timesheets.workspaceId, world.workspace.id));
  for (const s of sheets) {
    const who = s.personEmail === "ada@acme.example" ? world.ada : world.grace;
    await submitTimesheet(testCtx(deps, world.workspace.id, world.actorOf(who)), { timesheetId: s.id });
  }
  const fresh = await database.db
    .select()
    .from(timesheets)
    .where(eq(timesheets.workspaceId, world.workspace.id));
  await approveTimesheets(testCtx(deps, world.workspace.id, world.actorOf(world.approver)), {
    timesheets: fresh.map((s) => ({ id: s.id, version: s.version })),
  });
  return { world, deps };
}

async function linesOf(invoiceId: string) {
  return database.db.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, invoiceId));
}

async function billed(workspaceId: string) {
  return database.db.select().from(timeEntries).where(eq(timeEntries.workspaceId, workspaceId));
}

describe("billing cycle", () => {
  it("turns last month's approved billable time into one draft per project, priced exactly, with one digest", async () => {
    const { world, deps } = await approvedMonth();
    const result = await runBillingCycle(testCtx(deps, world.workspace.id), { asOf: "2026-12-01" });
    expect(result).toMatchObject({ cadence: "monthly", cutoff: "2026-11-30", entriesBilled: 3 });
    expect(result.drafts.map((d) => d.projectCode)).toEqual(["ATLAS", "ORION"]);
    const atlas = result.drafts.find((d) => d.projectCode === "ATLAS")!;
    const lines = await linesOf(atlas.invoiceId);
    const byPerson = Object.fromEntries(lines.map((l) => [l.description.split(":")[0], l]));
    // 7.5 h × €93.33 = €699.975 → €699.98 (rounded once); Grace at her own rate, 2 h × €120.
    expect(byPerson["Ada Lovelace"]).toMatchObject({
      quantityMilli: 7500,
      unitPriceMinor: 9333,
      netMinor: 69998,
      unitCode: "HUR",
    });
    expect(byPerson["Grace Hopper"]).toMatchObject({
      quantityMilli: 2000,
      unitPriceMinor: 12000,
      netMinor: 24000,
    });
    const [draft] = await database.db.select().from(invoices).where(eq(invoices.id, atlas.invoiceId));
    expect(draft).toMatchObject({
      status: "draft",
      number: null,
      subtotalMinor: 93998,
      servicePeriodStart: "2026-11-02",
    });
    // 1 minute at €100/h is €1.67, not 0.017 h × €100 = €1.70: minutes at a price per 60 minutes.
    const orion = result.drafts.find((d) => d.projectCode === "ORION")!;
    const [minute] = await linesOf(orion.invoiceId);
    expect(minute).toMatchObject({
      quantityMilli: 1000,
      unitCode: "MIN",
      unitPriceMinor: 10000,
      priceBaseQuantityMilli: 60_000,
      netMinor: 167,
    });
    const [orionDraft] = await database.db.select().from(invoices).where(eq(invoices.id, orion.invoiceId));
    expect(orionDraft?.subtotalMinor).toBe(167);

    const digests = await database.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.workspaceId, world.workspace.id));
    const digest = digests.filter((d) => (d.payload as { type: string }).type === "billing_cycle_digest");
    expect(digest).toHaveLength(1);
    expect((digest[0]!.payload as { invoiceIds: string[] }).invoiceIds).toHaveLength(2);

    const rows = await billed(world.workspace.id);
    expect(rows.filter((r) => r.invoiceId).length).toBe(3);
    expect(rows.find((r) => !r.billable)?.invoiceId).toBeNull();
    expect(rows.find((r) => r.workDate === "2026-12-01")?.invoiceId).toBeNull();
  });

  it("keeps a minutes line priced per 60 minutes when billing edits the draft", async () => {
    const { world, deps } = await approvedMonth();
    const result = await runBillingCycle(testCtx(deps, world.workspace.id), { asOf: "2026-12-01" });
    const orion = result.drafts.find((d) => d.projectCode === "ORION")!;
    const edited = await editInvoiceDraft(
      testCtx(deps, world.workspace.id, {
        kind: "member",
        memberId: randomUUID(),
        slackUserId: "UBILLING",
        roles: ["billing"],
      }),
      {
        invoiceId: orion.invoiceId,
        lines: [{ description: "Ada: 0 h 07", quantity: "7", unitPrice: "100", vatRate: "20" }],
        servicePeriodStart: null,
        servicePeriodEnd: null,
        notes: null,
      },
    );
    expect(edited).toMatchObject({ ok: true });
    const [line] = await linesOf(orion.invoiceId);
    // 7 min × €100.00 / 60 min = €11.67.
    expect(line).toMatchObject({
      quantityMilli: 7000,
      unitCode: "MIN",
      priceBaseQuantityMilli: 60_000,
      netMinor: 1167,
    });
  });

  it("run twice, the second run bills nothing and posts no second digest", async () => {
    const { world, deps } = await approvedMonth();
    await runBillingCycle(testCtx(deps, world.workspace.id), { asOf: "2026-12-01" });
    const second = await runBillingCycle(testCtx(deps, world.workspace.id), { asOf: "2026-12-01" });
    expect(second).toMatchObject({ drafts: [], entriesBilled: 0, digestDeliveryId: null });
    const drafts = await database.db
      .select()
      .from(invoices)
      .where(eq(invoices.workspaceId, world.workspace.id));
    expect(drafts).toHaveLength(2);
  });

  it("two instances running it at once bill each entry once", async () => {
    const { world, deps } = await approvedMonth();
    const other = secondConnection();
    try {
      const otherDeps = other ? serviceDeps(other.db) : deps;
      const [a, b] = await Promise.all([
        runBillingCycle(testCtx(deps, world.workspace.id), { asOf: "2026-12-01" }),
        runBillingCycle(testCtx(otherDeps, world.workspace.id), { asOf: "2026-12-01" }),
      ]);
      expect(a.entriesBilled + b.entriesBilled).toBe(3);
      const drafts = await database.db
        .select()
        .from(invoices)
        .where(eq(invoices.workspaceId, world.workspace.id));
      expect(drafts).toHaveLength(2);
      const lines = await database.db
        .select()
        .from(invoiceLines)
        .where(eq(invoiceLines.workspaceId, world.workspace.id));
      expect(lines.reduce((sum, l) => sum + l.netMinor, 0)).toBe(69998 + 24000 + 167);
    } finally {
      await other?.close();
    }
  });
});
