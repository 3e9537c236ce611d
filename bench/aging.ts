// `npm run bench:aging`: the /aging reply (service + blocks) on 1,000,000 invoices (≈100,000 open)
// across 10,000 clients on a real PostgreSQL (DATABASE_URL), as of today and 1, 6 and 12 month-ends
// ago (a kept 15th and days between two kept days), with and without DSO/ADD/CEI, each next to a bare count of the open
// invoices timed in the same run. Prints figures; never fails on timing.
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import { sql } from "drizzle-orm";
import { pino } from "pino";
import { rollAgingBalances as rollBalancesTo } from "../src/aging/balances-repo.ts";
import { buildAgingReport } from "../src/aging/build-aging-report.ts";
import { keepAgingMonthEnds } from "../src/aging/month-end-repo.ts";
import { buildAgingMessage, TOP_DEBTORS } from "../src/aging/slack/aging-report.ts";
import { cliCtx } from "../src/cli/ctx.ts";
import { openPostgres } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { generateDataset } from "./generate-data.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL must point at a throwaway PostgreSQL (see README Benchmarks).");
  process.exit(2);
}
const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const TODAY = "2026-11-23";

const database = openPostgres(url, { max: 4 });
const migrationStart = performance.now();
await runMigrations(database);
console.log(`migrations: ${((performance.now() - migrationStart) / 1000).toFixed(1)} s`);
// BENCH_WORKSPACE=<id> measures again on a data set loaded by an earlier run.
const reuse = process.env.BENCH_WORKSPACE;
let workspaceId: string;
if (reuse) {
  workspaceId = reuse;
} else {
  console.log(`loading ${INVOICES} invoices across ${CLIENTS} clients…`);
  const data = await generateDataset(database, {
    invoices: INVOICES,
    clients: CLIENTS,
    databaseUrl: url,
    today: TODAY,
  });
  workspaceId = data.workspaceId;
  console.log(
    `loaded in ${data.seconds.toFixed(1)} s (${data.method}): ${data.invoices} invoices, ${data.openInvoices} open, ${data.payments} payments (workspace ${workspaceId})`,
  );
}
// Closing rates for the foreign currencies, so the reply converts and ranks across currencies as a
// real multi-currency book does (the generator stores none).
await database.query(
  `insert into exchange_rates (workspace_id, currency, base_currency, rate, on_date)
   select $1, c, w.base_currency, r, '2026-09-30'::date
   from workspaces w, unnest(array['USD', 'GBP'], array[0.9213, 1.1702]) as x(c, r)
   where w.id = $1 and c <> w.base_currency
   on conflict do nothing`,
  [workspaceId],
);
// A fresh COPY has no visibility map yet; autovacuum sets it in production.
await database.exec("vacuum analyze");

const deps = {
  db: database.db,
  now: () => new Date(`${TODAY}T10:00:00Z`),
  logger: pino({ level: "silent" }),
  enqueue: async () => {},
};

// The scheduler's daily roll-forward of the open balances, timed from yesterday's line to today's.
await rollBalancesTo(database.db, workspaceId, "2026-11-22");
const rollStart = performance.now();
const rolled = await rollBalancesTo(database.db, workspaceId, TODAY);
console.log(
  `daily roll-forward: ${rolled} open balances moved to ${TODAY} in ${(performance.now() - rollStart).toFixed(0)} ms`,
);
// The days the scheduler keeps (month-ends and 15ths, one a tick), each timed.
const takes: number[] = [];
for (;;) {
  const start = performance.now();
  const taken = await keepAgingMonthEnds(database.db, workspaceId, TODAY);
  if (!taken) break;
  takes.push(performance.now() - start);
}
if (takes.length > 0) {
  takes.sort((a, b) => a - b);
  console.log(
    `kept days taken: ${takes.length}, ${takes[0]?.toFixed(0)}–${takes.at(-1)?.toFixed(0)} ms each, ${(takes.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s in all (writers wait meanwhile)`,
  );
}
await database.exec("vacuum analyze");

// The Slack reply as /aging sends it: metrics only on the "DSO · ADD · CEI" button (withMetrics),
// the summary query with the top debtors only (as src/aging/slack/aging.ts asks for it).
async function reply(asOf?: string, withMetrics = false): Promise<number> {
  const { report, filters, collectors } = await buildAgingReport(cliCtx(deps, workspaceId), {
    asOf,
    withMetrics,
    topDebtors: TOP_DEBTORS,
    collectorChoices: 10,
  });
  const message = buildAgingMessage({
    report,
    state: { a: report.asOf, b: report.basis },
    labels: filters.labels,
    collectors: collectors?.choices ?? [],
    locale: "en",
  });
  return JSON.stringify(message.blocks).length;
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] ?? 0;
  return { p50: at(0.5), p95: at(0.95) };
}

// What a payment on an invoice issued months ago costs with 48 kept days (the triggers restate
// every kept day since its issue date), against one on an invoice issued this month.
async function paymentCost(issuedBefore: string, issuedAfter: string): Promise<{ p50: number; p95: number }> {
  const open = await database.query<{ id: string; currency: string }>(
    `select id, currency from invoices where workspace_id = $1 and open_minor > 100 and kind = 'invoice'
       and issue_date >= $2 and issue_date < $3 limit 40`,
    [workspaceId, issuedAfter, issuedBefore],
  );
  let k = 0;
  return time(Math.max(1, open.length - 3), async () => {
    const invoice = open[k++ % open.length];
    if (!invoice) return;
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`insert into payments (workspace_id, invoice_id, amount_minor, currency, paid_on, dedupe_key)
        values (${workspaceId}, ${invoice.id}, 1, ${invoice.currency}, ${TODAY}, ${randomUUID()})`);
      await tx.execute(sql`update invoices set open_minor = open_minor - 1 where id = ${invoice.id}`);
    });
  });
}

const countOpen = () =>
  database.query("select count(*) from invoices where workspace_id = $1 and open_minor <> 0", [workspaceId]);
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const size = await reply();
console.log(
  `/aging reply (query + blocks, ${size} chars of blocks), ${RUNS} runs each, then count(*) ${RUNS} runs:`,
);
// The dates a CFO asks about: month-ends, a kept 15th, and the worst days between two kept days
// (8 days from either: 2026-10-23 is 8 days after 2026-10-15 and before 2026-10-31), in the current
// month too (from this month's 15th, yesterday or the last month-end).
const dates: [string, string | undefined][] = [
  ["as of today", undefined],
  ["1 month-end ago (2026-10-31)", "2026-10-31"],
  ["6 month-ends ago (2026-05-31)", "2026-05-31"],
  ["12 month-ends ago (2025-11-30)", "2025-11-30"],
  ["a kept 15th (2026-10-15)", "2026-10-15"],
  ["between kept days (2026-10-23)", "2026-10-23"],
  ["between kept days, 12 months ago (2025-11-23)", "2025-11-23"],
  ["this month, yesterday (2026-11-22, kept)", "2026-11-22"],
  ["this month, between kept days (2026-11-19)", "2026-11-19"],
  ["this month, between kept days (2026-11-08)", "2026-11-08"],
];
const scenarios: [string, string | undefined, boolean][] = [
  ...dates.map(([label, asOf]): [string, string | undefined, boolean] => [label, asOf, false]),
  ...dates.map(([label, asOf]): [string, string | undefined, boolean] => [
    `${label} + DSO/ADD/CEI`,
    asOf,
    true,
  ]),
];
for (const [label, asOf, withMetrics] of scenarios) {
  const r = await time(RUNS, () => reply(asOf, withMetrics));
  const c = await time(RUNS, countOpen);
  console.log(
    `  ${label.padEnd(60)} p50 ${fmt(r.p50).padStart(9)}  p95 ${fmt(r.p95).padStart(9)}   count(*) p50 ${fmt(c.p50)} p95 ${fmt(c.p95)}   ratio p50 ${(r.p50 / c.p50).toFixed(1)}× p95 ${(r.p95 / c.p95).toFixed(1)}×   load ${loadavg()[0]?.toFixed(1)}`,
  );
}
const recent = await paymentCost("2026-11-30", "2026-11-01");
const old = await paymentCost("2026-06-01", "2026-05-01");
console.log(
  `one payment (insert + open amount), invoice issued this month p50 ${fmt(recent.p50)} p95 ${fmt(recent.p95)}; issued in May 2026 p50 ${fmt(old.p50)} p95 ${fmt(old.p95)}`,
);
await database.close();
