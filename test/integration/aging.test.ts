import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { buildAgingReport } from "../../src/aging/build-aging-report.ts";
import { listAgingInvoices } from "../../src/aging/list-aging-invoices.ts";
import { agingCommand } from "../../src/cli/aging.ts";
import { loadConfig } from "../../src/config.ts";
import type { Database } from "../../src/db/client.ts";
import { exchangeRates, workspaces } from "../../src/db/schema/index.ts";
import { sumBuckets } from "../../src/domain/aging.ts";
import { testDatabase } from "../helpers/db.ts";
import { serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createProject,
  createWorkspace,
  insertCreditNote,
  insertPayment,
} from "../helpers/factories.ts";

// Today is 2026-11-23 in the workspace (the fixed clock of serviceDeps).
let database: Database;
let deps: ReturnType<typeof serviceDeps>;

const pay = (workspaceId: string, invoiceId: string, amountMinor: number, paidOn: string) =>
  insertPayment(database.db, { workspaceId, invoiceId, currency: "EUR", amountMinor, paidOn });

const credit = (workspaceId: string, clientId: string, invoiceId: string, amountMinor: number, on: string) =>
  insertCreditNote(database.db, { workspaceId, clientId, invoiceId, currency: "EUR", amountMinor, on });

type Fixture = Awaited<ReturnType<typeof seed>>;

async function seed() {
  const db = database.db;
  const ws = await createWorkspace(db);
  const collector = await createMember(db, ws.id, {
    name: "Carla Collector",
    slackUserId: `U${randomUUID().slice(0, 8).toUpperCase()}`,
  });
  const acme = await createClient(db, ws.id, { externalId: "ACME", name: "Acme SA" });
  const globex = await createClient(db, ws.id, {
    externalId: "GLOBEX",
    name: "Globex Inc",
    currency: "USD",
    collectorMemberId: collector.id,
  });
  const project = await createProject(db, ws.id, acme.id, { code: "ATLAS", name: "Atlas" });
  const inv = async (clientId: string, values: Parameters<typeof createIssuedInvoice>[3]) =>
    createIssuedInvoice(db, ws.id, clientId, values);

  const notDue = await inv(acme.id, {
    totalMinor: 100_000,
    issueDate: "2026-10-31",
    dueDate: "2026-11-30",
    projectId: project.id,
  });
  const dueToday = await inv(acme.id, { totalMinor: 50_000, issueDate: "2026-10-24", dueDate: "2026-11-23" });
  const partial = await inv(acme.id, { totalMinor: 20_000, issueDate: "2026-09-24", dueDate: "2026-10-24" }); // 30 d
  await pay(ws.id, partial.id, 5_000, "2026-11-01");
  const credited = await inv(acme.id, { totalMinor: 30_000, issueDate: "2026-07-26", dueDate: "2026-08-25" }); // 90 d
  await credit(ws.id, acme.id, credited.id, 10_000, "2026-11-10");
  const old = await inv(acme.id, { totalMinor: 40_000, issueDate: "2026-07-25", dueDate: "2026-08-24" }); // 91 d
  const paidLater = await inv(acme.id, {
    totalMinor: 10_000,
    issueDate: "2026-09-01",
    dueDate: "2026-10-01",
  });
  await pay(ws.id, paidLater.id, 4_000, "2026-10-15");
  await pay(ws.id, paidLater.id, 6_000, "2026-11-20");
  const issuedLater = await inv(acme.id, {
    totalMinor: 7_000,
    issueDate: "2026-11-20",
    dueDate: "2026-12-20",
  });
  await inv(acme.id, { status: "draft", number: null, totalMinor: 999_999, issueDate: null, dueDate: null });
  const usd = await inv(globex.id, {
    currency: "USD",
    totalMinor: 9_000,
    issueDate: "2026-09-23",
    dueDate: "2026-10-23",
  }); // 31 d
  return {
    ws,
    acme,
    globex,
    collector,
    project,
    notDue,
    dueToday,
    partial,
    credited,
    old,
    paidLater,
    issuedLater,
    usd,
  };
}

let f: Fixture;

beforeAll(async () => {
  database = await testDatabase();
  deps = serviceDeps(database.db);
  f = await seed();
  // Noise in another workspace: same dates, same client id text, huge amounts.
  const other = await createWorkspace(database.db);
  const otherClient = await createClient(database.db, other.id, { externalId: "ACME", name: "Acme SA" });
  await createIssuedInvoice(database.db, other.id, otherClient.id, {
    totalMinor: 77_777_700,
    dueDate: "2026-08-01",
  });
});

describe("aging report on the database", () => {
  it("ages today's open amounts, with partial payments and credit notes, per currency", async () => {
    const { report } = await buildAgingReport(testCtx(deps, f.ws.id));
    expect(report.asOf).toBe("2026-11-23");
    expect(report.currencies.EUR).toEqual({
      buckets: [100_000 + 50_000 + 7_000, 15_000, 0, 20_000, 40_000],
      total: 232_000,
      count: 6,
    });
    expect(report.currencies.USD).toEqual({ buckets: [0, 0, 9_000, 0, 0], total: 9_000, count: 1 });
    for (const totals of Object.values(report.currencies))
      expect(sumBuckets(totals.buckets)).toBe(totals.total);
    // No USD rate stored: the base total leaves USD out and says so.
    expect(report.base).toMatchObject({ total: 232_000, notConverted: ["USD"] });
    const acme = report.clients.find((c) => c.externalId === "ACME");
    expect(acme).toMatchObject({ total: 232_000, oldestDaysPastDue: 91 });
  });

  it("converts at the latest stored rate on or before the as-of date", async () => {
    const ws = await createWorkspace(database.db);
    const client = await createClient(database.db, ws.id, { currency: "USD" });
    await createIssuedInvoice(database.db, ws.id, client.id, { currency: "USD", totalMinor: 10_000 });
    await database.db.insert(exchangeRates).values([
      { workspaceId: ws.id, currency: "USD", baseCurrency: "EUR", rate: "0.9000", onDate: "2026-11-01" },
      { workspaceId: ws.id, currency: "USD", baseCurrency: "EUR", rate: "0.8000", onDate: "2026-11-24" },
    ]);
    const { report } = await buildAgingReport(testCtx(deps, ws.id));
    expect(report.base).toMatchObject({ total: 9_000, notConverted: [] });
    expect(report.base.ratesUsed).toEqual([{ currency: "USD", rate: "0.9000000000", onDate: "2026-11-01" }]);
  });

  it("is a true snapshot in the past: later payments and credit notes added back, later invoices left out", async () => {
    const { report } = await buildAgingReport(testCtx(deps, f.ws.id), { asOf: "2026-11-15" });
    // notDue, dueToday current; partial 22 d (paid before); credited 82 d and old 83 d; paidLater 45 d with
    // the 6,000 paid on 11-20 added back; issuedLater (11-20) absent.
    expect(report.currencies.EUR?.buckets).toEqual([150_000, 15_000, 6_000, 20_000 + 40_000, 0]);
    const before = await buildAgingReport(testCtx(deps, f.ws.id), { asOf: "2026-11-05" });
    // The credit note of 11-10 is added back; the payment of 11-01 is not.
    expect(before.report.currencies.EUR?.buckets).toEqual([150_000, 15_000, 6_000, 30_000 + 40_000, 0]);
    expect(before.report.currencies.EUR?.count).toBe(6);
  });

  it("ages by issue date on request", async () => {
    const { report } = await buildAgingReport(testCtx(deps, f.ws.id), { basis: "issue" });
    // Issued 11-20 → 3 d; 10-31 → 23 d; 10-24 → 30 d; 09-24 → 60 d; 07-26/07-25 → 120/121 d.
    expect(report.currencies.EUR?.buckets).toEqual([0, 7_000 + 100_000 + 50_000, 15_000, 0, 60_000]);
  });

  it("filters by client, project, collector and currency", async () => {
    const byClient = await buildAgingReport(testCtx(deps, f.ws.id), {
      target: "ACME",
      targetKind: "client",
    });
    expect(Object.keys(byClient.report.currencies)).toEqual(["EUR"]);
    expect(byClient.filters.labels.client).toBe("Acme SA");
    const byProject = await buildAgingReport(testCtx(deps, f.ws.id), { target: "atlas" });
    expect(byProject.report.currencies.EUR?.total).toBe(100_000);
    const byCollector = await buildAgingReport(testCtx(deps, f.ws.id), {
      target: `<@${f.collector.slackUserId}|carla>`,
    });
    expect(byCollector.report.clients.map((c) => c.externalId)).toEqual(["GLOBEX"]);
    const byCurrency = await buildAgingReport(testCtx(deps, f.ws.id), { currency: "USD" });
    expect(Object.keys(byCurrency.report.currencies)).toEqual(["USD"]);
    await expect(buildAgingReport(testCtx(deps, f.ws.id), { target: "nobody-here" })).rejects.toMatchObject({
      userMessage: expect.stringContaining("No client, project or collector matches"),
    });
  });

  it("drills down into one bucket, page by page, oldest first", async () => {
    const pages = [];
    for (let page = 0; page < 4; page++) {
      pages.push(await listAgingInvoices(testCtx(deps, f.ws.id), { bucket: 0, page, pageSize: 1 }));
    }
    expect(pages[0]?.total).toBe(3);
    expect(pages.slice(0, 3).map((p) => p.invoices[0]?.invoiceId)).toEqual([
      f.dueToday.id,
      f.notDue.id,
      f.issuedLater.id,
    ]);
    expect(pages[3]?.invoices).toEqual([]);
    const late = await listAgingInvoices(testCtx(deps, f.ws.id), { bucket: 1 });
    expect(late.invoices).toEqual([
      expect.objectContaining({
        invoiceId: f.partial.id,
        daysPastDue: 30,
        openMinor: 15_000,
        dueDate: "2026-10-24",
      }),
    ]);
  });

  it("never shows another workspace's invoices", async () => {
    const { report } = await buildAgingReport(testCtx(deps, f.ws.id));
    const all = Object.values(report.currencies).reduce((s, t) => s + t.total, 0);
    expect(all).toBe(232_000 + 9_000);
    const empty = await createWorkspace(database.db);
    const other = await buildAgingReport(testCtx(deps, empty.id));
    expect(other.report.clients).toEqual([]);
  });

  it("uses the workspace's bucket edges", async () => {
    await database.db
      .update(workspaces)
      .set({ settings: { agingEdges: [60] } })
      .where(eq(workspaces.id, f.ws.id));
    try {
      const { report } = await buildAgingReport(testCtx(deps, f.ws.id));
      expect(report.buckets).toEqual(["current", "1-60", "60+"]);
      expect(report.currencies.EUR?.buckets).toEqual([157_000, 15_000, 60_000]);
    } finally {
      await database.db.update(workspaces).set({ settings: {} }).where(eq(workspaces.id, f.ws.id));
    }
  });

  it("refuses an as-of date in the future with a clear message", async () => {
    await expect(buildAgingReport(testCtx(deps, f.ws.id), { asOf: "2027-01-01" })).rejects.toMatchObject({
      userMessage: expect.stringContaining("in the future"),
    });
  });

  it("cobro aging --json prints the documented shape", async () => {
    const lines: string[] = [];
    const runtime = {
      out: (text: string) => lines.push(text),
      err: (text: string) => lines.push(text),
      config: loadConfig({}),
      logger: silentLogger,
      openApp: async () => ({ ...deps, database, config: loadConfig({}) }),
    };
    const code = await agingCommand.run(runtime, ["--json", "--workspace", f.ws.id, "--as-of", "2026-11-23"]);
    expect(code).toBe(0);
    const json = JSON.parse(lines.join("\n"));
    expect(Object.keys(json)).toEqual(["asOf", "basis", "baseCurrency", "buckets", "currencies", "clients"]);
    expect(json.currencies.EUR).toEqual({
      current: 157_000,
      "1-30": 15_000,
      "31-60": 0,
      "61-90": 20_000,
      "90+": 40_000,
      total: 232_000,
      count: 6,
    });
    expect(json.clients[0]).toEqual({
      externalId: "ACME",
      name: "Acme SA",
      currency: "EUR",
      total: 232_000,
      oldestDaysPastDue: 91,
      buckets: { current: 157_000, "1-30": 15_000, "31-60": 0, "61-90": 20_000, "90+": 40_000 },
    });

    lines.length = 0;
    expect(await agingCommand.run(runtime, ["--csv", "--workspace", f.ws.id])).toBe(0);
    expect(lines.join("\n")).toContain("ACME,Acme SA,EUR,1570.00,150.00,0.00,200.00,400.00,2320.00,91,6");
    lines.length = 0;
    expect(await agingCommand.run(runtime, ["--workspace", f.ws.id])).toBe(0);
    expect(lines.join("\n")).toMatch(/Aged receivables as of 2026-11-23/);
    await expect(
      agingCommand.run(runtime, ["--by", "posting", "--workspace", f.ws.id]),
    ).rejects.toMatchObject({
      userMessage: expect.stringContaining('--by is "due" or "issue"'),
    });
  });
});
