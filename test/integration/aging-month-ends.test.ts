// /aging as of a month-end reads the month-end balances that the triggers on invoices and payments
// keep. Whatever happens after a month-end is taken (payments and credit notes dated before or
// after it, in either order with their invoice's update, invoices issued in the past, payments
// moved or deleted, voids), the stored balances and the reply built from them must equal the full
// as-of computation, at every kept month-end and on both bases.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type AgingRequest, buildAgingReport } from "../../src/aging/build-aging-report.ts";
import { isKeptMonthEnd, nearestKeptMonthEnd, takeAgingMonthEnd } from "../../src/aging/month-end-repo.ts";
import { rollAgingBalances } from "../../src/aging/roll-aging-balances.ts";
import type { Database } from "../../src/db/client.ts";
import { queryRows } from "../../src/db/client.ts";
import { exchangeRates } from "../../src/db/schema/index.ts";
import { rankDebtors } from "../../src/domain/aging.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";

// Today is 2026-11-23 in the workspace (the fixed clock of serviceDeps).
const day = (offset: number) => new Date(Date.UTC(2026, 10, 23 + offset)).toISOString().slice(0, 10);
// The days the scheduler keeps: month-ends, the 15th of each month and yesterday.
const KEPT_DAYS = [
  "2026-11-22",
  "2026-11-15",
  "2026-10-31",
  "2026-10-15",
  "2026-09-30",
  "2026-09-15",
  "2026-08-31",
  "2026-07-31",
];
// Either side of a kept 15th and halfway between two kept days, where the reply reads the most
// movements (before or after the nearest kept day).
const NEAR_KEPT_DAYS = [
  "2026-11-14",
  "2026-11-16",
  "2026-11-22",
  "2026-10-14",
  "2026-10-16",
  "2026-10-23",
  "2026-10-08",
];

let database: Database;
let deps: ReturnType<typeof serviceDeps>;

beforeAll(async () => {
  database = await testDatabase();
  deps = serviceDeps(database.db);
});

type Op =
  | { kind: "issue"; client: number; issued: number; term: number | null; total: number; interest: boolean }
  | { kind: "pay"; invoice: number; share: number; paid: number; paymentFirst: boolean }
  | { kind: "credit"; invoice: number; share: number; on: number; noteFirst: boolean }
  | { kind: "movePayment"; payment: number; paid: number }
  | { kind: "deletePayment"; payment: number }
  | { kind: "void"; invoice: number }
  | { kind: "take"; monthEnd: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant("issue" as const),
    client: fc.nat(3),
    issued: fc.integer({ min: -160, max: 0 }),
    term: fc.option(fc.constantFrom(0, 15, 30, 60), { nil: null }),
    total: fc.integer({ min: 1_000, max: 90_000 }),
    interest: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("pay" as const),
    invoice: fc.nat(40),
    share: fc.constantFrom(0.25, 0.5, 1, 1.2),
    paid: fc.integer({ min: -160, max: 0 }),
    paymentFirst: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("credit" as const),
    invoice: fc.nat(40),
    share: fc.constantFrom(0.3, 1),
    on: fc.integer({ min: -160, max: 0 }),
    noteFirst: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant("movePayment" as const),
    payment: fc.nat(40),
    paid: fc.integer({ min: -160, max: 0 }),
  }),
  fc.record({ kind: fc.constant("deletePayment" as const), payment: fc.nat(40) }),
  fc.record({ kind: fc.constant("void" as const), invoice: fc.nat(40) }),
  fc.record({ kind: fc.constant("take" as const), monthEnd: fc.nat(KEPT_DAYS.length - 1) }),
);

type Ledger = {
  workspaceId: string;
  clients: { id: string; currency: string }[];
  invoices: { id: string; clientId: string; currency: string; total: number }[];
  payments: { id: string; invoiceId: string; amount: number }[];
};

async function raiseOpen(invoiceId: string, amount: number) {
  await database.db.execute(
    sql`update invoices set open_minor = open_minor + ${amount} where id = ${invoiceId}`,
  );
}

async function apply(ledger: Ledger, o: Op) {
  const db = database.db;
  const pick = <T>(list: T[], k: number) => (list.length === 0 ? undefined : list[k % list.length]);
  if (o.kind === "issue") {
    const client = ledger.clients[o.client % ledger.clients.length];
    if (!client) return;
    const invoice = await createIssuedInvoice(db, ledger.workspaceId, client.id, {
      currency: client.currency,
      kind: o.interest ? "interest_note" : "invoice",
      totalMinor: o.total,
      openMinor: o.total,
      issueDate: day(o.issued),
      dueDate: o.term === null ? null : day(o.issued + o.term),
    });
    ledger.invoices.push({ id: invoice.id, clientId: client.id, currency: client.currency, total: o.total });
  } else if (o.kind === "pay") {
    const invoice = pick(ledger.invoices, o.invoice);
    if (!invoice) return;
    const amount = Math.round(invoice.total * o.share);
    const id = randomUUID();
    const insert = () =>
      db.execute(sql`insert into payments (id, workspace_id, invoice_id, amount_minor, currency, paid_on, dedupe_key)
        values (${id}, ${ledger.workspaceId}, ${invoice.id}, ${amount}, ${invoice.currency}, ${day(o.paid)}, ${id})`);
    if (o.paymentFirst) await insert();
    await raiseOpen(invoice.id, -amount);
    if (!o.paymentFirst) await insert();
    ledger.payments.push({ id, invoiceId: invoice.id, amount });
  } else if (o.kind === "credit") {
    const invoice = pick(ledger.invoices, o.invoice);
    if (!invoice) return;
    const amount = Math.round(invoice.total * o.share);
    const note = () =>
      createIssuedInvoice(db, ledger.workspaceId, invoice.clientId, {
        kind: "credit_note",
        typeCode: "381",
        currency: invoice.currency,
        correctsInvoiceId: invoice.id,
        issueDate: day(o.on),
        dueDate: day(o.on),
        totalMinor: -amount,
        openMinor: 0,
      });
    if (o.noteFirst) await note();
    await raiseOpen(invoice.id, -amount);
    if (!o.noteFirst) await note();
  } else if (o.kind === "movePayment") {
    const payment = pick(ledger.payments, o.payment);
    if (!payment) return;
    await db.execute(sql`update payments set paid_on = ${day(o.paid)} where id = ${payment.id}`);
  } else if (o.kind === "deletePayment") {
    const payment = pick(ledger.payments, o.payment);
    if (!payment) return;
    await db.execute(sql`delete from payments where id = ${payment.id}`);
    await raiseOpen(payment.invoiceId, payment.amount);
    ledger.payments = ledger.payments.filter((p) => p.id !== payment.id);
  } else if (o.kind === "void") {
    const invoice = pick(ledger.invoices, o.invoice);
    if (!invoice) return;
    await db.execute(sql`update invoices set status = 'void', open_minor = 0 where id = ${invoice.id}`);
  } else {
    await takeAgingMonthEnd(db, ledger.workspaceId, KEPT_DAYS[o.monthEnd] ?? "2026-10-31");
  }
}

/** The stored month-end balances equal the full report's balances, and so does the reply. */
async function expectMonthEndMatchesFullReport(
  workspaceId: string,
  request: AgingRequest & { asOf: string },
) {
  const full = (await buildAgingReport(testCtx(deps, workspaceId), { withMetrics: false, ...request }))
    .report;
  const stored = await queryRows<{ key: string; n: number; open: string; weighted: string }>(
    database.db,
    sql`select client_id || '|' || currency as key, open_count as n, open_minor::text as open,
        (${request.basis === "issue" ? sql`open_minor * (${request.asOf}::date - date '2000-01-01') - issue_day_sum` : sql`overdue_minor * (${request.asOf}::date - date '2000-01-01') - overdue_day_sum`})::text as weighted
      from aging_month_end_balances where workspace_id = ${workspaceId} and month_end = ${request.asOf}::date`,
  );
  const byKey = (rows: { key: string; n: number; open: number; weighted: string }[]) =>
    Object.fromEntries(rows.map((r) => [r.key, [r.n, r.open, r.weighted]]));
  expect(byKey(stored.map((r) => ({ ...r, n: Number(r.n), open: Number(r.open) })))).toEqual(
    byKey(
      full.clients.map((c) => ({
        key: `${c.clientId}|${c.currency}`,
        n: c.count,
        open: c.total,
        weighted: String(c.weightedMinorDays),
      })),
    ),
  );
  await expectReplyMatchesFullReport(workspaceId, request);
}

/**
 * The reply (top debtors, from the nearest month-end and the movements since or until it, or from
 * today's balances) equals the full as-of computation: bucket totals per currency, the amounts in
 * the base currency, every client's balance, buckets, oldest item and weight.
 */
async function expectReplyMatchesFullReport(workspaceId: string, request: AgingRequest & { asOf: string }) {
  const ctx = testCtx(deps, workspaceId);
  const full = (await buildAgingReport(ctx, { withMetrics: false, ...request })).report;
  const reply = (await buildAgingReport(ctx, { withMetrics: false, ...request, topDebtors: 10 })).report;
  expect(reply.currencies).toEqual(full.currencies);
  expect(reply.base).toEqual(full.base);
  expect(reply.clientCount).toBe(full.clients.length);
  expect(reply.clients).toEqual(full.clients.slice(0, 10));
  // SQL ranks every report's debtors; rankDebtors is the oracle of that order.
  expect(full.clients).toEqual(rankDebtors(full.clients));
}

/**
 * DSO / ADD / CEI of the whole book come from the daily sales a trigger keeps; with a currency filter
 * they are summed from the invoices: both must agree, currency by currency.
 */
async function expectMetricsMatchInvoices(workspaceId: string, request: AgingRequest) {
  const ctx = testCtx(deps, workspaceId);
  const book = (await buildAgingReport(ctx, { ...request, withMetrics: true })).report;
  for (const currency of Object.keys(book.currencies)) {
    const one = (await buildAgingReport(ctx, { ...request, withMetrics: true, currency })).report;
    expect(book.metrics[currency]).toEqual(one.metrics[currency]);
  }
}

describe(`month-end balances (${backend()})`, () => {
  it("equal the full as-of computation after any sequence of writes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 1, maxLength: 24 }),
        fc.array(op, { minLength: 1, maxLength: 24 }),
        // Any past date: kept days, days between two kept ones, and before them all.
        fc.array(fc.oneof(fc.integer({ min: -175, max: -1 }).map(day), fc.constantFrom(...NEAR_KEPT_DAYS)), {
          minLength: 3,
          maxLength: 3,
        }),
        async (before, after, dates) => {
          const db = database.db;
          const workspace = await createWorkspace(db);
          await db.insert(exchangeRates).values({
            workspaceId: workspace.id,
            currency: "USD",
            baseCurrency: "EUR",
            rate: "0.9213",
            onDate: "2026-01-31",
          });
          const ledger: Ledger = { workspaceId: workspace.id, clients: [], invoices: [], payments: [] };
          for (let c = 0; c < 4; c++) {
            const currency = c === 3 ? "USD" : "EUR";
            const client = await createClient(db, workspace.id, { name: `Client ${c}`, currency });
            ledger.clients.push({ id: client.id, currency });
          }
          // Writes before the month-ends are taken, then after (the triggers' part).
          for (const o of before) await apply(ledger, o);
          for (const kept of ["2026-11-15", "2026-10-31", "2026-10-15", "2026-08-31"])
            await takeAgingMonthEnd(db, workspace.id, kept);
          for (const o of after) await apply(ledger, o);
          for (const monthEnd of KEPT_DAYS) {
            if (!(await isKeptMonthEnd(db, workspace.id, monthEnd))) continue;
            for (const basis of ["due", "issue"] as const)
              await expectMonthEndMatchesFullReport(workspace.id, { asOf: monthEnd, basis });
          }
          for (const asOf of dates) {
            for (const basis of ["due", "issue"] as const)
              await expectReplyMatchesFullReport(workspace.id, { asOf, basis });
            await expectReplyMatchesFullReport(workspace.id, {
              asOf,
              basis: "due",
              currency: "USD",
            });
          }
          for (const asOf of [undefined, "2026-10-31", day(-50), ...dates])
            await expectMetricsMatchInvoices(workspace.id, { asOf });
        },
      ),
      { numRuns: Number(process.env.AGING_PROPERTY_RUNS ?? (backend() === "pglite" ? 25 : 15)) },
    );
  }, 600_000);

  it("are taken by the scheduler's roll, one a tick: yesterday, then month-ends and 15ths of the last 24 months", async () => {
    const db = database.db;
    const workspace = await createWorkspace(db);
    const client = await createClient(db, workspace.id);
    await createIssuedInvoice(db, workspace.id, client.id, { issueDate: day(-100), dueDate: day(-70) });
    const taken: (string | undefined)[] = [];
    for (let tick = 0; tick < 51; tick++)
      taken.push((await rollAgingBalances(testCtx(deps, workspace.id))).monthEndTaken);
    expect(taken.slice(0, 5)).toEqual(["2026-11-22", "2026-11-15", "2026-10-31", "2026-10-15", "2026-09-30"]);
    expect(taken.slice(47, 49)).toEqual(["2024-12-15", "2024-11-30"]);
    expect(taken.slice(49)).toEqual([undefined, undefined]);
    const keptDays = async () =>
      (
        await queryRows<{ day: string }>(
          db,
          sql`select month_end::text as day from aging_month_ends where workspace_id = ${workspace.id} order by 1`,
        )
      ).map((r) => r.day);
    expect(await keptDays()).toHaveLength(49);
    // A day between two kept ones starts from the nearer: at most 8 days of movements.
    expect(await nearestKeptMonthEnd(db, workspace.id, "2026-10-23")).toBe("2026-10-15");
    expect(await nearestKeptMonthEnd(db, workspace.id, "2026-10-24")).toBe("2026-10-31");
    expect(await nearestKeptMonthEnd(db, workspace.id, "2026-11-19")).toBe("2026-11-22");
    await expectMonthEndMatchesFullReport(workspace.id, { asOf: "2026-09-30", basis: "due" });
    await expectMonthEndMatchesFullReport(workspace.id, { asOf: "2026-09-15", basis: "due" });
    await expectReplyMatchesFullReport(workspace.id, { asOf: "2026-10-23", basis: "due" });

    // The next day, the day before is forgotten (neither a month-end nor a 15th) and the new yesterday taken.
    const tomorrow = serviceDeps(db, fixedClock("2026-11-24T09:00:00Z"));
    expect((await rollAgingBalances(testCtx(tomorrow, workspace.id))).monthEndTaken).toBe("2026-11-23");
    const after = await keptDays();
    expect(after).toHaveLength(49);
    expect(after).not.toContain("2026-11-22");
    const leftovers = await queryRows<{ n: number }>(
      db,
      sql`select (select count(*) from aging_month_end_balances where workspace_id = ${workspace.id} and month_end = '2026-11-22')
        + (select count(*) from aging_month_end_totals where workspace_id = ${workspace.id} and month_end = '2026-11-22')
        + (select count(*) from aging_month_end_dues where workspace_id = ${workspace.id} and month_end = '2026-11-22') as n`,
    );
    expect(Number(leftovers[0]?.n)).toBe(0);
  });
});
