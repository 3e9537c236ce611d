import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { lateInterestRates, scheduledRuns } from "../../src/db/schema/index.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { importInterestRates } from "../../src/rates/import-interest-rates.ts";
import { runCollectionJob, runSchedulerTick } from "../../src/scheduler.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";

describe(`collections scheduling and rates on ${backend()}`, () => {
  it("ships the known reference rates", async () => {
    const { db } = await testDatabase();
    const rows = await db.select().from(lateInterestRates);
    const rate = (j: string, d: string) =>
      rows.find((r) => r.jurisdiction === j && r.halfYearStart === d)?.totalRateBp;
    expect(rate("FR", "2024-07-01")).toBe(1425);
    expect(rate("FR", "2024-01-01")).toBe(1450);
    expect(rate("ES", "2020-01-01")).toBe(800);
    expect(rate("ES", "2014-07-01")).toBe(815);
    expect(rate("EU", "2024-07-01")).toBe(1225);
  });

  it("imports rates idempotently and reports every bad line with its number", async () => {
    const { db } = await testDatabase();
    const ctx = testCtx(serviceDeps(db), "");
    const csv = [
      "jurisdiction,half_year_start,reference_rate,total_rate,source",
      "ES,2031-01-01,2.15,10.15,BOE test",
      "FR,2031-01-01,2.15,12.15,ECB test",
    ].join("\n");
    expect(await importInterestRates(ctx, { csv })).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    expect(await importInterestRates(ctx, { csv })).toEqual({ inserted: 0, updated: 0, unchanged: 2 });
    expect(await importInterestRates(ctx, { csv: csv.replace("10.15", "10.20") })).toEqual({
      inserted: 0,
      updated: 1,
      unchanged: 1,
    });
    const bad = [
      "jurisdiction,half_year_start,reference_rate,total_rate,source",
      "DE,2031-07-01,2.15,10.15,x",
      "ES,2031-03-01,2,10,x",
      "ES,2031-07-01,2,ten,x",
      "FR,2031-07-01,2,12,",
    ].join("\n");
    const error = await importInterestRates(ctx, { csv: bad }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    const message = (error as DomainError).userMessage;
    for (const line of ["line 2", "line 3", "line 4", "line 5"]) expect(message).toContain(line);
    const rows = await db
      .select()
      .from(lateInterestRates)
      .where(eq(lateInterestRates.halfYearStart, "2031-07-01"));
    expect(rows).toHaveLength(0);
  });

  it("the scheduler runs each workspace once its local hour comes, once per local day", async () => {
    const { db } = await testDatabase();
    const madrid = await createWorkspace(db, { timeZone: "Europe/Madrid", settings: { overdueScanHour: 8 } });
    const client = await createClient(db, madrid.id);
    await createIssuedInvoice(db, madrid.id, client.id, { dueDate: "2026-03-27" });
    const clock = fixedClock("2026-03-29T05:59:00Z"); // 07:59 CEST, DST day
    const deps = serviceDeps(db, clock);
    const runsOf = async () =>
      db.select().from(scheduledRuns).where(eq(scheduledRuns.workspaceId, madrid.id));
    await runSchedulerTick(deps, { workspaceIds: [madrid.id] });
    expect(await runsOf()).toHaveLength(0);
    clock.set("2026-03-29T06:00:00Z"); // 08:00 CEST
    await Promise.all([
      runSchedulerTick(deps, { workspaceIds: [madrid.id] }),
      runSchedulerTick(deps, { workspaceIds: [madrid.id] }),
    ]);
    await runSchedulerTick(deps, { workspaceIds: [madrid.id] });
    const runs = await runsOf();
    expect(runs.map((r) => `${r.job}:${r.runDate}`).sort()).toEqual([
      "approval-reminders:2026-03-29",
      "billing-cycle:2026-03-01",
      "overdue-scan:2026-03-29",
      "reminders:2026-03-29",
      "slack-events-prune:2026-03-29",
      "verifactu-chain-check:2026-03-29",
    ]);
  });

  it("`cobro run` code path: a manual run with --as-of and --dry-run for one workspace", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const client = await createClient(db, workspace.id);
    await createIssuedInvoice(db, workspace.id, client.id, { dueDate: "2026-11-10" });
    const deps = serviceDeps(db);
    const dry = await runCollectionJob(deps, "overdue-scan", {
      workspaceId: workspace.id,
      asOf: "2026-11-12",
      dryRun: true,
    });
    expect(dry[0]?.result).toMatchObject({ overdue: 1, dryRun: true });
    const real = await runCollectionJob(deps, "overdue-scan", {
      workspaceId: workspace.id,
      asOf: "2026-11-12",
    });
    expect(real[0]?.result).toMatchObject({ overdue: 1, dryRun: false });
    const again = await runCollectionJob(deps, "overdue-scan", {
      workspaceId: workspace.id,
      asOf: "2026-11-13",
    });
    expect(again[0]?.result).toMatchObject({ overdue: 0 });
  });

  it("the CLI reads a rates file and answers bad usage with exit code 2", async () => {
    const { runCli } = await import("../../src/main.ts");
    const dir = mkdtempSync(join(tmpdir(), "cobro-rates-"));
    const file = join(dir, "rates.csv");
    writeFileSync(
      file,
      "jurisdiction,half_year_start,reference_rate,total_rate,source\nXX,2031-01-01,1,9,x\n",
    );
    const err: string[] = [];
    const io = { out: () => {}, err: (t: string) => err.push(t) };
    const env = { COBRO_DATA_DIR: dir, LOG_LEVEL: "silent" };
    expect(await runCli(["rates", "import", file], env, io)).toBe(2);
    expect(err.join("\n")).toContain("line 2");
    expect(await runCli(["run", "weekly"], env, io)).toBe(2);
  });
});
