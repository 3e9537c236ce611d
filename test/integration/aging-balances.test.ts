// The open balances behind the /aging reply (aging_balances, aging_due_totals) are kept by triggers
// in the transactions that change invoices: after every kind of write they must equal what the
// invoices say, and the reply built from them must equal the full report, as of today, in the past
// and wherever the day's roll-forward stands.

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { rollAgingBalances as rollTo } from "../../src/aging/balances-repo.ts";
import { type AgingRequest, buildAgingReport } from "../../src/aging/build-aging-report.ts";
import { takeAgingMonthEnd } from "../../src/aging/month-end-repo.ts";
import { rollAgingBalances } from "../../src/aging/roll-aging-balances.ts";
import type { Database, Db } from "../../src/db/client.ts";
import { openPostgres, queryRows } from "../../src/db/client.ts";
import { exchangeRates } from "../../src/db/schema/index.ts";
import { type AgingReport, sumBuckets } from "../../src/domain/aging.ts";
import { importCsv } from "../../src/imports/import-csv.ts";
import { createCreditNote } from "../../src/invoicing/create-credit-note.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { recordPayment } from "../../src/invoicing/record-payment.ts";
import { backend, secondConnection, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";

// Today is 2026-11-23 in the workspace (the fixed clock of serviceDeps).
const TODAY = "2026-11-23";
const day = (offset: number) => new Date(Date.UTC(2026, 10, 23 + offset)).toISOString().slice(0, 10);
const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

let database: Database;
let deps: ReturnType<typeof serviceDeps>;

beforeAll(async () => {
  database = await testDatabase();
  deps = serviceDeps(database.db);
});

type Key = string;
const keyOf = (...parts: unknown[]): Key => parts.map(String).join("|");

/** The stored rows, and the same sums recomputed from the open receivables of the workspace. */
async function storedAndExpected(db: Db, workspaceId: string) {
  const open = await queryRows<{
    client_id: string;
    currency: string;
    due_on: string;
    issue_date: string;
    open_minor: string;
  }>(
    db,
    sql`select client_id, currency, coalesce(due_date, issue_date)::text as due_on, issue_date::text as issue_date,
        open_minor::text as open_minor
      from invoices where workspace_id = ${workspaceId} and open_minor <> 0 and kind <> 'credit_note'
        and status not in ('draft', 'held', 'void') and issue_date is not null`,
  );
  const balances = await queryRows<{
    client_id: string;
    currency: string;
    open_count: number;
    open_minor: string;
    issue_day_sum: string;
    overdue_before: string;
    overdue_minor: string;
    overdue_day_sum: string;
  }>(
    db,
    sql`select client_id, currency, open_count, open_minor::text, issue_day_sum::text, overdue_before::text,
        overdue_minor::text, overdue_day_sum::text
      from aging_balances where workspace_id = ${workspaceId}`,
  );
  const dates = await queryRows<{ key: string; open_count: number; open_minor: string }>(
    db,
    sql`select concat_ws('|', currency, due_on, issue_date) as key, open_count, open_minor::text
      from aging_due_totals where workspace_id = ${workspaceId}`,
  );
  const daysFrom2000 = (date: string) =>
    Math.round((Date.parse(date) - Date.parse("2000-01-01")) / 86_400_000);
  const rolledTo = new Map(balances.map((b) => [keyOf(b.client_id, b.currency), b.overdue_before]));
  const expectedBalances = new Map<Key, number[]>();
  const expectedDates = new Map<Key, number[]>();
  for (const i of open) {
    const key = keyOf(i.client_id, i.currency);
    const amount = Number(i.open_minor);
    const overdue = i.due_on < (rolledTo.get(key) ?? "") ? amount : 0;
    const [n = 0, sum = 0, issueDays = 0, due = 0, dueDays = 0] = expectedBalances.get(key) ?? [];
    expectedBalances.set(key, [
      n + 1,
      sum + amount,
      issueDays + amount * daysFrom2000(i.issue_date),
      due + overdue,
      dueDays + overdue * daysFrom2000(i.due_on),
    ]);
    const dateKey = keyOf(i.currency, i.due_on, i.issue_date);
    const [dn = 0, dsum = 0] = expectedDates.get(dateKey) ?? [];
    expectedDates.set(dateKey, [dn + 1, dsum + amount]);
  }
  return {
    stored: {
      balances: Object.fromEntries(
        balances.map((b) => [
          keyOf(b.client_id, b.currency),
          [b.open_count, b.open_minor, b.issue_day_sum, b.overdue_minor, b.overdue_day_sum].map(Number),
        ]),
      ),
      dates: Object.fromEntries(dates.map((d) => [d.key, [d.open_count, Number(d.open_minor)]])),
    },
    expected: {
      balances: Object.fromEntries(expectedBalances),
      dates: Object.fromEntries(expectedDates),
    },
    openTotal: open.reduce((sum, i) => sum + Number(i.open_minor), 0),
  };
}

async function expectBalancesFollowInvoices(workspaceId: string, db: Db = database.db) {
  const { stored, expected } = await storedAndExpected(db, workspaceId);
  expect(stored).toEqual(expected);
}

function expectBucketsAddUp(report: AgingReport) {
  for (const totals of Object.values(report.currencies))
    expect(sumBuckets(totals.buckets)).toBe(totals.total);
  for (const client of report.clients) expect(sumBuckets(client.buckets)).toBe(client.total);
  expect(sumBuckets(report.base.buckets)).toBe(report.base.total);
}

/** The reply (totals and top debtors from the balances) shows what the full report shows. */
async function expectReplyMatchesFullReport(workspaceId: string, request: AgingRequest = {}) {
  const ctx = testCtx(deps, workspaceId);
  const full = await buildAgingReport(ctx, { withMetrics: false, ...request });
  const reply = await buildAgingReport(ctx, { withMetrics: false, ...request, topDebtors: 10 });
  expect(reply.report.currencies).toEqual(full.report.currencies);
  expect(reply.report.base).toEqual(full.report.base);
  expect(reply.report.clientCount).toBe(full.report.clients.length);
  expect(reply.report.clients).toEqual(full.report.clients.slice(0, 10));
  expectBucketsAddUp(reply.report);
  return reply.report;
}

/** The database with nested-loop and merge joins off, so that every join is hashed. */
async function hashJoiningDatabase(): Promise<{ db: Db; release: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  if (backend() === "postgres" && url) {
    const hashing = new URL(url);
    hashing.pathname = `/cobro_test_${process.env.VITEST_POOL_ID ?? "0"}`;
    hashing.searchParams.set("enable_nestloop", "off");
    hashing.searchParams.set("enable_mergejoin", "off");
    const other = openPostgres(hashing.toString(), { max: 2 });
    return { db: other.db, release: () => other.close() };
  }
  await database.exec("set enable_nestloop = off; set enable_mergejoin = off");
  return {
    db: database.db,
    release: () => database.exec("reset enable_nestloop; reset enable_mergejoin"),
  };
}

async function issueOne(workspaceId: string, clientId: string, unitPriceMinor: number) {
  const draft = await createInvoiceDraft(testCtx(deps, workspaceId), {
    clientId,
    lines: [{ description: "Consulting", quantityMilli: 1000, unitPriceMinor, vatRateBp: 2100 }],
  });
  return (await issueInvoice(testCtx(deps, workspaceId), { invoiceId: draft.invoice.id })).invoice;
}

describe(`open balances kept by the invoice triggers (${backend()})`, () => {
  it("follow issues, partial payments, credit notes and settlements; settled balances disappear", async () => {
    const db = database.db;
    const workspace = await createWorkspace(db);
    const acme = await createClient(db, workspace.id, { externalId: "ACME", name: "Acme SA" });
    const first = await issueOne(workspace.id, acme.id, 100_000);
    const second = await issueOne(workspace.id, acme.id, 40_000);
    await expectBalancesFollowInvoices(workspace.id);

    await recordPayment(testCtx(deps, workspace.id), {
      invoiceId: first.id,
      amountMinor: 30_000,
      paidOn: TODAY,
    });
    await expectBalancesFollowInvoices(workspace.id);
    await createCreditNote(testCtx(deps, workspace.id), {
      invoiceId: first.id,
      reason: "Half a day not delivered",
      lines: [{ description: "Consulting", quantityMilli: 500, unitPriceMinor: 20_000, vatRateBp: 2100 }],
    });
    await expectBalancesFollowInvoices(workspace.id);
    const report = await expectReplyMatchesFullReport(workspace.id);
    const { openTotal } = await storedAndExpected(db, workspace.id);
    expect(report.currencies.EUR?.total).toBe(openTotal);
    expect(openTotal).toBeGreaterThan(0);

    for (const invoice of [first, second]) {
      const [row] = await queryRows<{ open: string }>(
        db,
        sql`select open_minor::text as open from invoices where id = ${invoice.id}`,
      );
      await recordPayment(testCtx(deps, workspace.id), {
        invoiceId: invoice.id,
        amountMinor: Number(row?.open),
        paidOn: TODAY,
      });
      await expectBalancesFollowInvoices(workspace.id);
    }
    const settled = await queryRows(
      db,
      sql`select 1 from aging_balances where workspace_id = ${workspace.id}`,
    );
    expect(settled).toEqual([]);
    const { report: empty } = await buildAgingReport(testCtx(deps, workspace.id), { topDebtors: 10 });
    expect(empty.clientCount).toBe(0);
    expect(empty.currencies).toEqual({});
  });

  it("follow a CSV import of clients, invoices and payments", async () => {
    const workspace = await createWorkspace(database.db);
    for (const kind of ["clients", "projects", "milestones", "invoices", "payments"] as const) {
      const result = await importCsv(testCtx(deps, workspace.id), { kind, csv: fixture(`${kind}.csv`) });
      expect(result.errors).toEqual([]);
      await expectBalancesFollowInvoices(workspace.id);
    }
    await expectReplyMatchesFullReport(workspace.id);
    await expectReplyMatchesFullReport(workspace.id, { asOf: "2025-12-31" });
  });

  it("give the full report's totals and debtors wherever the roll-forward stands, today and in the past", async () => {
    const db = database.db;
    const workspace = await createWorkspace(db);
    await db.insert(exchangeRates).values({
      workspaceId: workspace.id,
      currency: "USD",
      baseCurrency: "EUR",
      rate: "0.9213",
      onDate: "2026-09-30",
    });
    // Invoices due on every side of today and of the roll-forward dates below: some partly paid
    // since, some credited since, some settled since, one issued after the past as-of date, one
    // without a due date, and a doubly paid one (open −5,000 now).
    for (let c = 0; c < 12; c++) {
      const currency = c % 3 === 2 ? "USD" : "EUR";
      const client = await createClient(db, workspace.id, {
        externalId: `R${c}`,
        name: `Client ${c}`,
        currency,
      });
      for (let k = 0; k < 4; k++) {
        const age = ((c * 13 + k * 29) % 120) - 40;
        const total = 10_000 + ((c * 7_919 + k * 104_729) % 90_000);
        const invoice = await createIssuedInvoice(db, workspace.id, client.id, {
          currency,
          totalMinor: total,
          openMinor: total,
          issueDate: day(-age - 30),
          dueDate: k === 3 && c % 4 === 0 ? null : day(-age),
        });
        if (k === 1) {
          await recordPayment(testCtx(deps, workspace.id), {
            invoiceId: invoice.id,
            amountMinor: Math.round(total / 3),
            paidOn: day(-(c % 9)),
          });
        }
        if (k === 2 && c % 2 === 0) {
          await recordPayment(testCtx(deps, workspace.id), {
            invoiceId: invoice.id,
            amountMinor: total,
            paidOn: day(-2),
          });
        }
      }
      if (c === 5) {
        await createIssuedInvoice(db, workspace.id, client.id, {
          currency,
          totalMinor: 7_000,
          openMinor: -5_000,
          issueDate: day(-300),
          dueDate: day(-270),
        });
      }
    }
    await expectBalancesFollowInvoices(workspace.id);
    const requests: Partial<AgingRequest>[] = [
      {},
      { asOf: day(-3) },
      { asOf: day(-45) },
      { basis: "issue" },
      { basis: "issue", asOf: day(-20) },
      { currency: "USD" },
    ];
    for (const rolled of [day(-60), day(-10), TODAY, day(5)]) {
      await rollTo(db, workspace.id, rolled);
      await expectBalancesFollowInvoices(workspace.id);
      for (const request of requests) await expectReplyMatchesFullReport(workspace.id, { ...request });
    }
  });

  it("list the top debtors in rank order whatever join the database plans", async () => {
    // The planner may hash the ranked debtors against their buckets (statistics change under load),
    // which returns them in the buckets' order: seen once as a reply whose debtors were out of order.
    const workspace = await createWorkspace(database.db);
    for (let c = 0; c < 14; c++) {
      const client = await createClient(database.db, workspace.id, {
        externalId: `H${c}`,
        name: `Client ${c}`,
      });
      for (let k = 0; k < 3; k++) {
        const total = 10_000 + ((c * 7_919 + k * 104_729) % 90_000);
        await createIssuedInvoice(database.db, workspace.id, client.id, {
          totalMinor: total,
          openMinor: total,
          issueDate: day(-((c * 17 + k * 31) % 90) - 30),
          dueDate: day(-((c * 17 + k * 31) % 90)),
        });
      }
    }
    // As of a past date the reply starts from the kept month-end (another statement, same ranking).
    await takeAgingMonthEnd(database.db, workspace.id, "2026-10-31");
    const hashing = await hashJoiningDatabase();
    try {
      const hashDeps = serviceDeps(hashing.db);
      const ctx = testCtx(hashDeps, workspace.id);
      const full = await buildAgingReport(ctx, { withMetrics: false });
      for (const request of [{ asOf: day(-20) }, {}] as AgingRequest[]) {
        const reply = await buildAgingReport(ctx, { withMetrics: false, ...request, topDebtors: 5 });
        const fullAt = request.asOf ? await buildAgingReport(ctx, { withMetrics: false, ...request }) : full;
        expect(reply.report.clients.map((c) => c.name)).toEqual(
          fullAt.report.clients.slice(0, 5).map((c) => c.name),
        );
      }
    } finally {
      await hashing.release();
    }
  });

  it("roll forward once a day in the workspace's time zone", async () => {
    const db = database.db;
    const workspace = await createWorkspace(db);
    const client = await createClient(db, workspace.id);
    await createIssuedInvoice(db, workspace.id, client.id, { issueDate: day(-40), dueDate: day(-10) });
    await rollTo(db, workspace.id, day(-30));
    expect(await rollAgingBalances(testCtx(deps, workspace.id))).toEqual({
      rolled: 1,
      today: TODAY,
      monthEndTaken: "2026-11-22",
    });
    expect(await rollAgingBalances(testCtx(deps, workspace.id))).toEqual({
      rolled: 0,
      today: TODAY,
      monthEndTaken: "2026-11-15",
    });
    await expectBalancesFollowInvoices(workspace.id);
  });

  it.runIf(backend() === "postgres")("stay exact under concurrent payments on one client", async () => {
    const db = database.db;
    const other = secondConnection();
    if (!other) throw new Error("postgres needs a second connection");
    try {
      const workspace = await createWorkspace(db);
      const client = await createClient(db, workspace.id);
      const invoices = [];
      for (let k = 0; k < 12; k++) {
        invoices.push(
          await createIssuedInvoice(db, workspace.id, client.id, {
            totalMinor: 9_000,
            openMinor: 9_000,
            dueDate: day(-k),
          }),
        );
      }
      const otherDeps = serviceDeps(other.db);
      await Promise.all(
        invoices.flatMap((invoice, k) =>
          [1, 2, 3].map((part) =>
            recordPayment(testCtx(k % 2 === 0 ? deps : otherDeps, workspace.id), {
              invoiceId: invoice.id,
              amountMinor: 3_000,
              paidOn: TODAY,
              dedupeKey: `${invoice.id}:${part}:${randomUUID()}`,
            }),
          ),
        ),
      );
      await expectBalancesFollowInvoices(workspace.id);
      expect(
        await queryRows(db, sql`select 1 from aging_balances where workspace_id = ${workspace.id}`),
      ).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
