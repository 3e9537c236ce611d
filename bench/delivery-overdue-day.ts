// `npm run bench:delivery -- --overdue-day`: the issue-17 day at full size. BENCH_INVOICES invoices
// (1,000,000) of which BENCH_OVERDUE (10,000) fall due yesterday, across BENCH_CLIENTS clients
// (2,000), their 4,000 project channels and 50 people, on PostgreSQL (DATABASE_URL, a throwaway
// cluster: databases are created and dropped on it). The real overdue scan and reminder run, as the
// scheduler runs them in `serve`, then the real delivery worker (the job catalogue's handlers, the
// Slack sender, the SendGrid mailer, the PDF pool) on BENCH_INSTANCES processes, against the
// loopback stand-in (slack-stand-in.ts). Prints what was claimed, the time from the scan to the last
// digest delivered against the bound Slack's limits allow, 429s, duplicates, lost and peak RSS.
// The data set is loaded once into a template database and copied for each run. Never fails on timing.
import { fork } from "node:child_process";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import postgres from "postgres";
import { runReminders, scanOverdue } from "../src/collections/index.ts";
import { contextFor } from "../src/context.ts";
import { openPostgres } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { createSendgridMailer } from "../src/delivery/email/sendgrid-mailer.ts";
import {
  createSlackSender,
  enqueueDeliveries,
  findStalledDeliveries,
  fixedBotToken,
  startDeliveryWorker,
} from "../src/delivery/index.ts";
import { startQueue } from "../src/delivery/queue.ts";
import { CHANNEL_BURST_POSTS, WORKSPACE_POSTS_PER_MINUTE } from "../src/delivery/slack-limits.ts";
import { localToday } from "../src/domain/overdue.ts";
import { systemActor } from "../src/domain/permissions.ts";
import { buildDeliveryHandlers } from "../src/job-catalogue.ts";
import { createPdfRenderPool } from "../src/pdf/render-pool.ts";
import { loadOverdueDay } from "./overdue-day-data.ts";
import { SERVE_NODE_FLAGS } from "./serve-node-flags.ts";
import { startStandIn } from "./slack-stand-in.ts";

const INVOICES = Number(process.env.BENCH_INVOICES ?? 1_000_000);
const OPEN = Number(process.env.BENCH_OPEN ?? 100_000);
const OVERDUE = Number(process.env.BENCH_OVERDUE ?? 10_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 2_000);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 1);
const CONCURRENCY = Number(process.env.COBRO_DELIVERY_CONCURRENCY ?? 8);
const MAIL_LATENCY_MS = Number(process.env.BENCH_MAIL_LATENCY_MS ?? 150);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 1800);
const WAIT_ALL = process.env.BENCH_WAIT_ALL === "1";
const REMINDERS = process.env.BENCH_REMINDERS !== "0";
const TIME_ZONE = "Europe/Madrid";
const DIGEST = "overdue_digest";
const logger = pino({ level: "silent" });

function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/** What `serve` runs to deliver: its queue, the catalogue's handlers and the sweeper, on `url`. */
async function startInstance(url: string, standInUrl: string) {
  const database = openPostgres(url);
  const queue = await startQueue(database, logger);
  const now = () => new Date();
  const deps = {
    db: database.db,
    now,
    logger,
    enqueue: (ids: string[]) => enqueueDeliveries(database.db, queue, ids),
  };
  const renderPdf = createPdfRenderPool();
  const handlers = buildDeliveryHandlers({
    deps,
    slack: createSlackSender({
      db: database.db,
      now,
      botToken: fixedBotToken("xoxb-bench"),
      apiUrl: `${standInUrl}/api/`,
    }),
    mailer: createSendgridMailer({ apiKey: "SG.bench", apiUrl: standInUrl }),
    renderPdf,
    payments: null,
    publicUrl: "https://cobro.bench.example",
    mailFrom: "billing@bench.example",
  });
  await startDeliveryWorker(queue, database.db, handlers, logger, { concurrency: CONCURRENCY });
  const sweeper = setInterval(() => {
    findStalledDeliveries(database.db, { unqueuedSeconds: 2, stalledSeconds: 120 })
      .then((ids) => enqueueDeliveries(database.db, queue, ids))
      .catch(() => {});
  }, 3_000);
  return {
    database,
    deps,
    stop: async () => {
      clearInterval(sweeper);
      await queue.stop();
      await renderPdf.close();
      await database.close();
    },
  };
}

type Memory = { rss: number; heap: number; external: number };
type FromInstance =
  | { ready: true; memory: Memory }
  | { peak: Memory }
  | { scan: Awaited<ReturnType<typeof scanOverdue>>; at: number; memory: Memory }
  | { reminders: Awaited<ReturnType<typeof runReminders>> | null; at: number };

/**
 * One `serve`-like process (each instance is its own process, apart from the coordinator that runs
 * the stand-in and keeps the time, so its peak RSS is that instance's alone). It reports its peak
 * memory every 200 ms; told to, it runs the day's scan and reminder run as the scheduler's tick does.
 */
async function runInstance(url: string, standInUrl: string) {
  const instance = await startInstance(url, standInUrl);
  const send = (message: FromInstance) => process.send?.(message);
  const memory = (): Memory => {
    const m = process.memoryUsage();
    return { rss: m.rss, heap: m.heapUsed, external: m.external };
  };
  const peak = memory();
  setInterval(() => {
    const m = memory();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heap);
    peak.external = Math.max(peak.external, m.external);
    send({ peak });
  }, 200).unref();
  process.on("message", async (message: { workspaceId?: string }) => {
    if (!message.workspaceId) return;
    const { workspaceId } = message;
    const scan = await scanOverdue(contextFor(instance.deps, workspaceId, systemActor("overdue-scan")), {
      claimRun: true,
    });
    send({ scan, at: Date.now(), memory: { ...peak } });
    // BENCH_REMINDERS=0 leaves the reminder run out (to see what the deliveries alone cost).
    const reminders = REMINDERS
      ? await runReminders(contextFor(instance.deps, workspaceId, systemActor("reminders")), {
          claimRun: true,
        })
      : null;
    send({ reminders, at: Date.now() });
  });
  process.once("SIGTERM", () => void instance.stop().then(() => process.exit(0)));
  send({ ready: true, memory: memory() });
}

/** A fresh copy of the data set (loaded once into a template database on this cluster). */
async function prepareDatabase(adminUrl: string, today: string): Promise<string> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const template = `cobro_day_${INVOICES}_${OVERDUE}_${CLIENTS}_${today.replaceAll("-", "")}`;
  const [exists] = await admin`select 1 from pg_database where datname = ${template}`;
  if (!exists) {
    const started = Date.now();
    await admin.unsafe(`create database ${template}`);
    const database = openPostgres(databaseUrl(adminUrl, template), { max: 2 });
    await runMigrations(database);
    const loaded = await loadOverdueDay(database, {
      invoices: INVOICES,
      open: OPEN,
      overdue: OVERDUE,
      clients: CLIENTS,
      today,
    });
    await database.close();
    console.log(
      `data set               ${INVOICES} invoices (${OPEN} open, ${OVERDUE} due ${today} − 1), ${CLIENTS} clients, ${loaded.projects} project channels, 50 people; loaded once in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  const run = `cobro_day_run_${process.pid}`;
  await admin.unsafe(`create database ${run} template ${template}`);
  await admin.end();
  // The template may predate a migration of this checkout.
  const copy = openPostgres(databaseUrl(adminUrl, run), { max: 2 });
  await runMigrations(copy);
  await copy.close();
  return run;
}

async function main() {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    console.error(
      "--overdue-day needs DATABASE_URL: a throwaway PostgreSQL cluster (databases are created on it).",
    );
    process.exit(2);
  }
  const today = localToday(new Date(), TIME_ZONE);
  const runName = await prepareDatabase(adminUrl, today);
  const url = databaseUrl(adminUrl, runName);
  const standIn = startStandIn({ slackBurst: CHANNEL_BURST_POSTS, mailLatencyMs: MAIL_LATENCY_MS });
  await once(standIn.server, "listening");
  const standInUrl = `http://127.0.0.1:${(standIn.server.address() as AddressInfo).port}`;
  const peaks: Memory[] = [];
  const before: Memory[] = [];
  const instances = await Promise.all(
    Array.from({ length: INSTANCES }, async (_, n) => {
      const child = fork(fileURLToPath(import.meta.url), ["--overdue-day-instance", url, standInUrl], {
        execArgv: ["--import", "tsx", ...SERVE_NODE_FLAGS],
        env: process.env,
      });
      child.on("message", (message: FromInstance) => {
        if ("peak" in message) peaks[n] = message.peak;
        if ("ready" in message) before[n] = message.memory;
      });
      await once(child, "message");
      return child;
    }),
  );
  const [scheduler] = instances;
  if (!scheduler) throw new Error("BENCH_INSTANCES must be at least 1");
  const database = openPostgres(url, { max: 2 });
  const [workspace] = await database.query<{ id: string }>(`select id from workspaces limit 1`);
  const workspaceId = String(workspace?.id);
  const loadBefore = loadavg()[0] ?? 0;

  // As the scheduler's tick runs them in `serve` (in the first instance): the scan, then the
  // reminders, each claimed for the day.
  const started = Date.now();
  const answer = <K extends "scan" | "reminders">(key: K) =>
    new Promise<Extract<FromInstance, Record<K, unknown>>>((resolve) => {
      const listen = (message: FromInstance) => {
        if (key in message) {
          scheduler.off("message", listen);
          resolve(message as Extract<FromInstance, Record<K, unknown>>);
        }
      };
      scheduler.on("message", listen);
    });
  const scanning = answer("scan");
  const reminding = answer("reminders");
  scheduler.send({ workspaceId });
  const { scan, at: scanned, memory: scanPeak } = await scanning;
  const digests = await database.query<{ id: string; channel: string }>(
    `select id, payload->>'channel' as channel from deliveries where payload->>'type' = $1`,
    [DIGEST],
  );
  const pending = async () => {
    const [row] = await database.query<{ open: number }>(
      `select count(*)::int as open from deliveries where status = 'pending'`,
    );
    return Number(row?.open);
  };
  const timedOut = () => Date.now() - started > TIMEOUT_S * 1000;
  while (!digests.every((d) => standIn.slack.has(d.id)) && !timedOut()) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const digestsDone = Date.now();
  const { reminders, at: reminded } = await reminding;
  let open = await pending();
  while (WAIT_ALL && open > 0 && !timedOut()) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    open = await pending();
  }
  const claimed = await database.query<{ kind: string; type: string; n: number }>(
    `select kind, payload->>'type' as type, count(*)::int as n from deliveries group by 1, 2 order by 3 desc`,
  );
  const elapsed = (Date.now() - started) / 1000;
  const queuedPosts = await database.query<{ type: string; n: number }>(
    `select payload->>'type' as type, count(*)::int as n from deliveries where status = 'pending' group by 1`,
  );
  const statuses = await database.query<{ status: string; n: number }>(
    `select status, count(*)::int as n from deliveries group by 1 order by 1`,
  );
  const failures = await database.query<{ last_error: string; n: number }>(
    `select last_error, count(*)::int as n from deliveries where status = 'failed' group by 1 order by 2 desc limit 3`,
  );
  const lastDigest = Math.max(0, ...digests.map((d) => standIn.slackAt.get(d.id) ?? 0));
  const undelivered = digests.filter((d) => !standIn.slack.has(d.id)).length;
  const failed = Number(statuses.find((s) => s.status === "failed")?.n ?? 0);
  const duplicates = [...standIn.slack.values(), ...standIn.mail.values()].filter((n) => n > 1).length;
  // Bounds for the digests: Slack's per-channel rule (a burst, then one a second per channel) and
  // the workspace's chat.postMessage budget (a minute's budget at once, then one per 60 s / budget).
  const perChannel = new Map<string, number>();
  for (const d of digests) perChannel.set(d.channel, (perChannel.get(d.channel) ?? 0) + 1);
  const busiest = Math.max(0, ...perChannel.values());
  const channelBound = Math.max(0, busiest - CHANNEL_BURST_POSTS);
  const workspaceBound =
    (Math.max(0, digests.length - WORKSPACE_POSTS_PER_MINUTE) * 60) / WORKSPACE_POSTS_PER_MINUTE;
  const bound = Math.max(channelBound, workspaceBound, 1);
  const binds =
    workspaceBound > channelBound
      ? `the workspace budget binds: ${digests.length} digests go to ${perChannel.size} channels (at most ${busiest} in one), so no channel's one-a-second limit is reached, but ${digests.length} posts exceed the ${WORKSPACE_POSTS_PER_MINUTE} a minute Cobro keeps to (Slack: "several hundred messages per minute" per workspace)`
      : `the per-channel limit binds: ${busiest} digests in one channel at one a second after a burst of ${CHANNEL_BURST_POSTS}`;
  const toDigest = lastDigest ? (lastDigest - started) / 1000 : Number.NaN;
  const mb = (bytes: number | undefined) => `${Math.round((bytes ?? 0) / 1024 / 1024)} MB`;
  const rss = peaks.map((p) => mb(p.rss)).join(" / ");
  const detail = peaks
    .map(
      (p, n) =>
        `#${n + 1}: ${mb(before[n]?.rss)} at start, peak heap ${mb(p.heap)}, external ${mb(p.external)}`,
    )
    .join("; ");
  console.log(
    [
      `database               PostgreSQL, ${INSTANCES} instance(s), COBRO_DELIVERY_CONCURRENCY=${CONCURRENCY} each`,
      `scan                   ${scan.overdue} invoices overdue, ${scan.digests.length} digests, ${scan.threadNotes} thread notes (${scan.notesFolded} folded) in ${((scanned - started) / 1000).toFixed(1)} s (instance's peak RSS so far ${mb(scanPeak.rss)})`,
      `reminders              ${reminders ? `${reminders.headsUp} reminders for tomorrow in ${reminders.headsUpMessages} heads-up DMs, ${reminders.sent} sent, ${reminders.awaitingApproval} awaiting approval in ${((reminded - scanned) / 1000).toFixed(1)} s (run alongside the deliveries, as the scheduler does)` : "not run (BENCH_REMINDERS=0)"}`,
      `deliveries claimed     ${claimed.reduce((sum, row) => sum + Number(row.n), 0)}: ${claimed.map((row) => `${row.n} ${row.kind}/${row.type}`).join(", ")}`,
      `scan → last digest     ${Number.isNaN(toDigest) ? "not reached" : `${toDigest.toFixed(1)} s`} (${digests.length} digests delivered: ${digests.filter((d) => standIn.slack.has(d.id)).length})`,
      `lower bound            ${bound.toFixed(1)} s — per channel ${channelBound} s, workspace budget ${workspaceBound.toFixed(1)} s: ${binds}`,
      `ratio                  ${Number.isNaN(toDigest) ? "-" : (toDigest / bound).toFixed(2)} (target ≤ 1.2)`,
      `stopped after          ${elapsed.toFixed(1)} s (digests done at ${((digestsDone - started) / 1000).toFixed(1)} s); Slack posts ${standIn.slack.size}, e-mails ${standIn.mail.size}; still queued ${open}${queuedPosts.length ? ` (${queuedPosts.map((q) => `${q.n} ${q.type}`).join(", ")}: ${WAIT_ALL ? "timed out" : "not waited for; BENCH_WAIT_ALL=1 waits"})` : ""}`,
      `Slack/SendGrid calls   ${[...standIn.calls.entries()].map(([path, n]) => `${path} ${n}`).join(", ")}`,
      `429s from Slack        ${standIn.rateLimited()}`,
      `duplicates             ${duplicates}`,
      `lost                   ${undelivered + failed} (digests not delivered ${undelivered}, deliveries failed ${failed}); by status: ${statuses.map((s) => `${s.status} ${s.n}`).join(", ")}${failures.length ? `; failures: ${failures.map((f) => `${f.n}× ${f.last_error}`).join("; ")}` : ""}`,
      `peak RSS per instance  ${rss} (target < 400 MB; each instance its own process, the first ran the scan${REMINDERS ? " and reminders" : ""}; the stand-in and this coordinator run apart) — ${detail}`,
      `machine load average   ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after (2 cores shared)`,
    ].join("\n"),
  );
  for (const child of instances) child.kill("SIGTERM");
  await Promise.all(instances.map((child) => once(child, "exit")));
  await database.close();
  standIn.server.close();
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${runName}`);
  await admin.end();
  process.exit(0);
}

if (process.argv[2] === "--overdue-day-instance")
  await runInstance(String(process.argv[3]), String(process.argv[4]));
else await main();
