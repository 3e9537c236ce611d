import { beforeAll, describe, expect, it } from "vitest";
import { type AgingRequest, buildAgingReport } from "../../src/aging/build-aging-report.ts";
import { summarizeAging } from "../../src/aging/repo.ts";
import type { Database } from "../../src/db/client.ts";
import { exchangeRates } from "../../src/db/schema/index.ts";
import {
  type AgingReport,
  buildAgingSummaryReport,
  DEFAULT_AGING_EDGES,
  rankDebtors,
  toAgingJson,
} from "../../src/domain/aging.ts";
import { listClosingRates } from "../../src/rates/repo.ts";
import { testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createWorkspace,
  insertCreditNote,
  insertPayment,
} from "../helpers/factories.ts";

// Today is 2026-11-23 in the workspace (the fixed clock of serviceDeps).
let database: Database;
let deps: ReturnType<typeof serviceDeps>;
let workspaceId: string;
let collectorId: string;
let firstClientId: string;

const pay = (invoiceId: string, currency: string, amountMinor: number, paidOn: string) =>
  insertPayment(database.db, { workspaceId, invoiceId, currency, amountMinor, paidOn });

const credit = (clientId: string, invoiceId: string, currency: string, amountMinor: number, on: string) =>
  insertCreditNote(database.db, { workspaceId, clientId, invoiceId, currency, amountMinor, on });

const day = (offset: number) => new Date(Date.UTC(2026, 10, 23 + offset)).toISOString().slice(0, 10);

beforeAll(async () => {
  database = await testDatabase();
  deps = serviceDeps(database.db);
  const db = database.db;
  const ws = await createWorkspace(db);
  workspaceId = ws.id;
  collectorId = (await createMember(db, ws.id, { name: "Carla", slackUserId: "UCARLA01" })).id;
  await db.insert(exchangeRates).values([
    { workspaceId, currency: "USD", baseCurrency: "EUR", rate: "0.9213", onDate: "2026-09-30" },
    { workspaceId, currency: "USD", baseCurrency: "EUR", rate: "0.8800", onDate: "2026-11-20" },
  ]);
  // 24 clients in EUR (base), USD (rated) and CHF (no rate): partial payments, credit notes,
  // payments and credit notes after the past as-of dates, invoices settled since, one issued later,
  // a duplicate payment (overpaid now, settled at the as-of date) and ties on amount and age.
  const currencies = ["EUR", "USD", "CHF"];
  for (let c = 0; c < 24; c++) {
    const currency = currencies[c % 3] ?? "EUR";
    const client = await createClient(db, ws.id, {
      externalId: `S${c}`,
      name: c % 7 === 0 ? "Twin" : `Client ${String.fromCharCode(65 + c)}`,
      currency,
      collectorMemberId: c % 4 === 0 ? collectorId : undefined,
    });
    if (c === 0) firstClientId = client.id;
    const inv = (values: Parameters<typeof createIssuedInvoice>[3]) =>
      createIssuedInvoice(db, ws.id, client.id, { currency, ...values });
    if (c >= 20) {
      // Ties: same amounts and ages, nothing overdue.
      await inv({ totalMinor: 50_000, issueDate: day(-10), dueDate: day(20) });
      continue;
    }
    for (let k = 0; k < 4; k++) {
      const age = (c * 17 + k * 41) % 160;
      const total = 10_000 + ((c * 7919 + k * 104_729) % 90_000);
      const invoice = await inv({ totalMinor: total, issueDate: day(-age - 30), dueDate: day(-age) });
      if (k === 1) await pay(invoice.id, currency, Math.round(total / 3), day(-age + 5 > 0 ? 0 : -age + 5));
      if (k === 2) await credit(client.id, invoice.id, currency, 2_000 + c * 10, day(-3 - (c % 40)));
      if (k === 3 && c % 2 === 0) await pay(invoice.id, currency, total, day(-1 - (c % 30))); // settled since
    }
    if (c % 5 === 0) await inv({ totalMinor: 12_345, issueDate: day(-2), dueDate: day(28) }); // issued later
    if (c === 3) {
      // Paid in full before the as-of dates, then paid again: open −8,000 now, nothing open then.
      const invoice = await inv({ totalMinor: 8_000, issueDate: day(-400), dueDate: day(-370) });
      await pay(invoice.id, currency, 8_000, day(-200));
      await pay(invoice.id, currency, 8_000, day(-5));
    }
  }
});

function expectSameReport(summary: AgingReport, full: AgingReport, top: number) {
  // SQL ranks every report's debtors; rankDebtors is the oracle of that order.
  expect(full.clients).toEqual(rankDebtors(full.clients));
  expect(summary.currencies).toEqual(full.currencies);
  expect(summary.base).toEqual(full.base);
  expect(summary.metrics).toEqual(full.metrics);
  expect(summary.clientCount).toBe(full.clients.length);
  expect(summary.clients).toEqual(full.clients.slice(0, top));
}

// The service uses the summary query as of today only; in the past it is still exact (and the
// faster path once touched invoices are read cheaply), so it is checked here directly.
async function summaryInThePast(input: AgingRequest, top: number): Promise<AgingReport> {
  const asOf = input.asOf ?? "2026-11-23";
  const basis = input.basis ?? "due";
  const rates = await listClosingRates(database.db, workspaceId, "EUR", asOf);
  const filters = {
    currency: input.currency,
    collectorMemberId: input.collectorMemberId,
    clientId: input.clientId,
  };
  const query = { workspaceId, asOf, basis, edges: DEFAULT_AGING_EDGES, filters } as const;
  const summary = await summarizeAging(database.db, { ...query, baseCurrency: "EUR", rates, top });
  return buildAgingSummaryReport({
    asOf,
    basis,
    baseCurrency: "EUR",
    edges: DEFAULT_AGING_EDGES,
    rates,
    summary,
  });
}

describe("aging summary (Slack reply) against the full report", () => {
  const cases: [string, Partial<AgingRequest>][] = [
    ["today", {}],
    // Client 3's doubly paid invoice (its oldest) is open now (−8,000) but settled at day −10.
    ["a past as-of, later payments and credit notes added back", { asOf: day(-10) }],
    ["an as-of when only the doubly paid invoice was open", { asOf: day(-250) }],
    ["an as-of between the payments", { asOf: day(-4) }],
    ["by issue date", { basis: "issue", asOf: day(-20) }],
    ["one currency without a rate", { currency: "CHF" }],
    ["a collector's clients, in the past", { asOf: day(-15), collectorMemberId: "collector" }],
    ["with the metrics", { withMetrics: true, asOf: day(-7) }],
  ];
  for (const [name, request] of cases) {
    it(`gives the same totals and top debtors: ${name}`, async () => {
      const input: AgingRequest = {
        withMetrics: false,
        ...request,
        ...(request.collectorMemberId ? { collectorMemberId: collectorId } : {}),
      };
      const ctx = testCtx(deps, workspaceId);
      const full = await buildAgingReport(ctx, input);
      expect(full.report.clients.length).toBeGreaterThan(0);
      for (const top of [1, 3, 10, 30]) {
        const summary = await buildAgingReport(ctx, { ...input, topDebtors: top });
        expectSameReport(summary.report, full.report, top);
        if (!input.withMetrics) expectSameReport(await summaryInThePast(input, top), full.report, top);
      }
    });
  }

  it("ranks converted balances first and those without a rate after them", async () => {
    const { report } = await buildAgingReport(testCtx(deps, workspaceId), {
      topDebtors: 30,
      withMetrics: false,
    });
    const rated = report.clients.map((c) => c.scoreInBase !== null);
    expect(rated.indexOf(false)).toBeGreaterThan(0);
    expect(rated.slice(rated.indexOf(false)).every((r) => !r)).toBe(true);
    expect(report.base.notConverted).toEqual(["CHF"]);
  });

  it("keeps one client's balance when a filter leaves only it", async () => {
    const full = await buildAgingReport(testCtx(deps, workspaceId), {
      clientId: firstClientId,
      asOf: day(-10),
    });
    const summary = await buildAgingReport(testCtx(deps, workspaceId), {
      clientId: firstClientId,
      asOf: day(-10),
      topDebtors: 10,
    });
    expectSameReport(summary.report, full.report, 10);
  });

  it("refuses to export a summary as JSON (it lists only the top debtors)", async () => {
    const { report } = await buildAgingReport(testCtx(deps, workspaceId), {
      topDebtors: 2,
      withMetrics: false,
    });
    expect(() => toAgingJson(report)).toThrow(/client balances/);
  });
});
