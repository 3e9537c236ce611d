// `node --import tsx bench/collections.ts`: the daily overdue scan on BENCH_INVOICES invoices
// (default 1,000,000) of which BENCH_OPEN are open (100,000) and BENCH_OVERDUE (10,000) fall due
// the day before the scan. Uses DATABASE_URL (a throwaway PostgreSQL) or else an in-memory PGlite.
// Prints the scan time, deliveries claimed per second, the Slack messages produced and how long
// they take at Slack's pace (about one a second per channel). Never fails on timing.
import { pino } from "pino";
import { scanOverdue } from "../src/collections/scan-overdue.ts";
import { contextFor } from "../src/context.ts";
import { openMemoryPglite, openPostgres } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { systemActor } from "../src/domain/permissions.ts";
import { loadOverdueDay } from "./overdue-day-data.ts";

const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const OPEN = Number(process.env.BENCH_OPEN ?? 100_000);
const OVERDUE = Number(process.env.BENCH_OVERDUE ?? 10_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 2_000);
const TODAY = "2026-11-23";
const SLACK_INTERVAL_S = 1.1;

const url = process.env.DATABASE_URL;
const database = url ? openPostgres(url, { max: 4 }) : await openMemoryPglite();
await runMigrations(database);

const started = performance.now();
const { workspaceId: ws, projects } = await loadOverdueDay(database, {
  invoices: INVOICES,
  open: OPEN,
  overdue: OVERDUE,
  clients: CLIENTS,
  today: TODAY,
});
console.log(
  `${database.kind}: loaded ${INVOICES} invoices (${OPEN} open, ${OVERDUE} due ${TODAY} − 1), ${CLIENTS} clients, ${projects} projects in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

const enqueued: string[] = [];
const deps = {
  db: database.db,
  now: () => new Date(`${TODAY}T07:00:00Z`),
  logger: pino({ level: "silent" }),
  enqueue: async (ids: string[]) => {
    enqueued.push(...ids);
  },
};
const t0 = performance.now();
const result = await scanOverdue(contextFor(deps, ws, systemActor("overdue-scan")), { claimRun: true });
const seconds = (performance.now() - t0) / 1000;
const again0 = performance.now();
const again = await scanOverdue(contextFor(deps, ws, systemActor("overdue-scan")), {});
const againSeconds = (performance.now() - again0) / 1000;

const digests = result.digests.length;
const threadPosts = result.overdue;
// Digests go to different channels and DMs, paced per channel, so they go out in parallel;
// the per-invoice thread notes share the channel where invoices are posted.
const digestMinutes = (SLACK_INTERVAL_S * 1) / 60;
const threadHours = (threadPosts * SLACK_INTERVAL_S) / 3600;
console.log(`scan: ${result.overdue} invoices became overdue in ${seconds.toFixed(2)} s (target < 5 s)`);
console.log(
  `deliveries claimed: ${result.deliveriesClaimed} (${(result.deliveriesClaimed / seconds).toFixed(0)}/s), enqueued ${enqueued.length}`,
);
console.log(
  `Slack messages: ${digests} digests (one per person and channel, largest lists ${Math.max(...result.digests.map((d) => d.invoices))} invoices) + ${threadPosts} invoice-thread notes`,
);
console.log(
  `time to deliver at ~1 msg/s per channel: digests ≈ ${digestMinutes.toFixed(2)} min (all channels in parallel; ${digests} posts ≈ ${(digests / 60).toFixed(1)} min if the workspace-wide limit serialises them), thread notes ≈ ${threadHours.toFixed(1)} h in one billing channel`,
);
console.log(`second scan the same day: ${again.overdue} new overdue in ${againSeconds.toFixed(2)} s`);
await database.close();
