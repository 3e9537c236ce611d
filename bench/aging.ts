// `npm run bench:aging`: the /aging reply (service + blocks) on 1,000,000 invoices (≈100,000 open)
// across 10,000 clients on a real PostgreSQL (DATABASE_URL), against a bare count of the open
// invoices. Prints figures; never fails on timing.
import { pino } from "pino";
import { rollAgingBalances as rollBalancesTo } from "../src/aging/balances-repo.ts";
import { buildAgingReport } from "../src/aging/build-aging-report.ts";
import { listAgingFilterChoices } from "../src/aging/list-aging-filter-choices.ts";
import { rollAgingBalances } from "../src/aging/roll-aging-balances.ts";
import { buildAgingMessage, TOP_DEBTORS } from "../src/aging/slack/aging-report.ts";
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
await runMigrations(database);
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
const { rolled } = await rollAgingBalances(deps, { workspaceId });
console.log(
  `daily roll-forward: ${rolled} open balances moved to ${TODAY} in ${(performance.now() - rollStart).toFixed(0)} ms`,
);

// The Slack reply as /aging sends it: metrics only on the "DSO · ADD · CEI" button (withMetrics),
// the summary query with the top debtors only (as src/aging/slack/aging.ts asks for it).
async function reply(asOf?: string, withMetrics = false): Promise<number> {
  const [{ report, filters }, collectors] = await Promise.all([
    buildAgingReport(deps, { workspaceId: workspaceId, asOf, withMetrics, topDebtors: TOP_DEBTORS }),
    listAgingFilterChoices(deps, { workspaceId: workspaceId, kind: "collector", limit: 10 }),
  ]);
  const message = buildAgingMessage({
    report,
    state: { a: report.asOf, b: report.basis },
    labels: filters.labels,
    collectors: collectors.choices,
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

const size = await reply();
const today = await time(RUNS, () => reply());
const past = await time(RUNS, () => reply("2026-10-23"));
const metrics = await time(RUNS, () => reply(undefined, true));
const count = await time(RUNS, () =>
  database.query("select count(*) from invoices where workspace_id = $1 and open_minor <> 0", [workspaceId]),
);
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
console.log(`/aging reply (query + blocks, ${size} chars of blocks), ${RUNS} runs:`);
console.log(`  as of today         p50 ${fmt(today.p50)}  p95 ${fmt(today.p95)}  (target p95 < 100 ms)`);
console.log(`  as of 31 days ago   p50 ${fmt(past.p50)}  p95 ${fmt(past.p95)}`);
console.log(`  today + DSO/ADD/CEI p50 ${fmt(metrics.p50)}  p95 ${fmt(metrics.p95)}`);
console.log(`bare count(*) of open invoices  p50 ${fmt(count.p50)}  p95 ${fmt(count.p95)}`);
console.log(`ratio /aging ÷ count(*) at p50: ${(today.p50 / count.p50).toFixed(1)}×`);
await database.close();
