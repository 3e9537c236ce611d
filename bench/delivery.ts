// `npm run bench:delivery`: deliveries per second through the real delivery worker (pg-boss queue,
// leases, write-ahead sends, per-channel pacing, the real Slack sender and SendGrid mailer) against
// a recording loopback stand-in: Slack accepts one chat.postMessage per second per channel and
// answers 429 with Retry-After beyond it; SendGrid answers after BENCH_MAIL_LATENCY_MS. Claims are
// enqueued at once, as `serve`'s services do. Prints throughput, the lower bound Slack's per-channel
// limit allows, 429s, duplicates and lost deliveries, and peak RSS. DATABASE_URL → PostgreSQL,
// otherwise embedded PGlite in memory; BENCH_INSTANCES=2 (PostgreSQL only) adds worker processes
// on the same database. Never fails on timing.
import { fork } from "node:child_process";
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { inArray, sql } from "drizzle-orm";
import { pino } from "pino";
import { type Database, type Db, openMemoryPglite, openPostgres } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { deliveries, workspaces } from "../src/db/schema/index.ts";
import { createSendgridMailer } from "../src/delivery/email/sendgrid-mailer.ts";
import {
  byPayloadType,
  claimDeliveries,
  createSlackSender,
  type DeliveryHandlers,
  enqueueDeliveries,
  fixedBotToken,
  startDeliveryWorker,
} from "../src/delivery/index.ts";
import { startQueue } from "../src/delivery/queue.ts";
import { runWithServeFlags, SERVE_NODE_FLAGS } from "./serve-node-flags.ts";
import { startStandIn } from "./slack-stand-in.ts";

const SLACK_POSTS = Number(process.env.BENCH_SLACK_POSTS ?? 400);
const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 40);
const EMAILS = Number(process.env.BENCH_EMAILS ?? 200);
const MAIL_LATENCY_MS = Number(process.env.BENCH_MAIL_LATENCY_MS ?? 150);
const CONCURRENCY = Number(process.env.COBRO_DELIVERY_CONCURRENCY ?? 8);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 1);
if (INSTANCES > 1 && !process.env.DATABASE_URL) {
  console.error("BENCH_INSTANCES > 1 needs DATABASE_URL: an embedded database belongs to one process.");
  process.exit(2);
}
// Slack's per-channel rule as the stand-in enforces it: one post a second, with a burst of this many
// posts at once ("short bursts > 1 allowed"; Slack gives no number), as a cell-rate limit.
const SLACK_BURST = Number(process.env.BENCH_SLACK_BURST ?? 2);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 600);
const logger = pino({ level: "silent" });

/** What every instance runs: the real sender and mailer, with one-line messages. */
function benchHandlers(db: Db, url: string): DeliveryHandlers {
  const sender = createSlackSender({
    db,
    now: () => new Date(),
    botToken: fixedBotToken("xoxb-bench"),
    apiUrl: `${url}/api/`,
  });
  const mailer = createSendgridMailer({ apiKey: "SG.bench", apiUrl: url });
  return {
    slack_message: byPayloadType({
      bench_post: async (delivery) => {
        const { channel, n } = delivery.payload as { channel: string; n: number };
        return sender.postMessage(delivery.workspaceId, { channel, text: `digest ${n}` });
      },
    }),
    email: byPayloadType({
      bench_mail: async (delivery) =>
        mailer.send({
          from: { email: "billing@bench.example" },
          to: ["ap@client.example"],
          subject: "Invoice",
          text: "Attached.",
          html: "<p>Attached.</p>",
          attachments: [],
          categories: ["bench"],
          customArgs: { delivery_id: delivery.id },
        }),
    }),
  };
}

/** A second `serve`-like instance: its own queue and worker on the same PostgreSQL, until stopped. */
async function runWorkerInstance(url: string) {
  const database = openPostgres(String(process.env.DATABASE_URL), { max: 8 });
  const queue = await startQueue(database, logger);
  await startDeliveryWorker(queue, database.db, benchHandlers(database.db, url), logger, {
    concurrency: CONCURRENCY,
  });
  process.send?.("ready");
  process.once("SIGTERM", () => {
    void queue.stop().then(() => process.exit(0));
  });
}

async function main() {
  const database: Database = process.env.DATABASE_URL
    ? openPostgres(process.env.DATABASE_URL, { max: 8 })
    : await openMemoryPglite();
  await runMigrations(database);
  const standIn = startStandIn({ slackBurst: SLACK_BURST, mailLatencyMs: MAIL_LATENCY_MS });
  await once(standIn.server, "listening");
  const url = `http://127.0.0.1:${(standIn.server.address() as AddressInfo).port}`;
  const db = database.db;
  const [workspace] = await db
    .insert(workspaces)
    .values({ name: "Bench", timeZone: "Europe/Madrid", baseCurrency: "EUR", locale: "en" })
    .returning();
  const handlers = benchHandlers(db, url);
  const claims = [
    ...Array.from({ length: SLACK_POSTS }, (_, n) => ({
      workspaceId: workspace!.id,
      kind: "slack_message" as const,
      dedupeKey: `bench-post:${n}`,
      payload: { type: "bench_post", channel: `C${String(n % CHANNELS).padStart(5, "0")}`, n },
    })),
    ...Array.from({ length: EMAILS }, (_, n) => ({
      workspaceId: workspace!.id,
      kind: "email" as const,
      dedupeKey: `bench-mail:${n}`,
      payload: { type: "bench_mail", n },
    })),
  ];
  const ids = await claimDeliveries(db, claims);
  const others = await Promise.all(
    Array.from({ length: INSTANCES - 1 }, async () => {
      const child = fork(fileURLToPath(import.meta.url), ["--worker", url], {
        execArgv: ["--import", "tsx", ...SERVE_NODE_FLAGS],
        env: process.env,
      });
      await once(child, "message");
      return child;
    }),
  );
  const queue = await startQueue(database, logger);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const loadBefore = loadavg()[0] ?? 0;
  const started = Date.now();
  await startDeliveryWorker(queue, db, handlers, logger, { concurrency: CONCURRENCY });
  await enqueueDeliveries(db, queue, ids);
  let firstMailAt = 0;
  let lastMailAt = 0;
  let lastSlackAt = 0;
  let open = ids.length;
  while (open > 0 && Date.now() - started < TIMEOUT_S * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [row] = await db
      .select({ open: sql<number>`count(*)::int` })
      .from(deliveries)
      .where(sql`${inArray(deliveries.id, ids)} and ${deliveries.status} = 'pending'`);
    open = row?.open ?? 0;
    if (standIn.mail.size > 0 && !firstMailAt) firstMailAt = Date.now();
    if (standIn.mail.size === EMAILS && !lastMailAt) lastMailAt = Date.now();
    if (standIn.slack.size === SLACK_POSTS && !lastSlackAt) lastSlackAt = Date.now();
  }
  const elapsed = (Date.now() - started) / 1000;
  clearInterval(sampler);
  loopDelay.disable();
  const duplicates = [...standIn.slack.values(), ...standIn.mail.values()].filter(
    (count) => count > 1,
  ).length;
  const perChannel = Math.ceil(SLACK_POSTS / CHANNELS);
  // The stand-in's rule: a channel's first SLACK_BURST posts at once, then one a second.
  const lowerBound = Math.max(0, perChannel - SLACK_BURST);
  const seconds = (at: number) => (at ? ((at - started) / 1000).toFixed(1) : "not reached");
  console.log(
    [
      `database                ${database.kind}, ${INSTANCES} instance(s), COBRO_DELIVERY_CONCURRENCY=${CONCURRENCY} each`,
      `deliveries claimed      ${ids.length} (${SLACK_POSTS} Slack posts in ${CHANNELS} channels, ${EMAILS} e-mails at ${MAIL_LATENCY_MS} ms)`,
      `all delivered in        ${elapsed.toFixed(1)} s → ${(ids.length / elapsed).toFixed(1)} deliveries/s`,
      `last Slack post at      ${seconds(lastSlackAt)} s (lower bound ${lowerBound} s: ${perChannel} posts a channel at 1/s after a burst of ${SLACK_BURST}; ratio ${lastSlackAt ? ((lastSlackAt - started) / 1000 / Math.max(1, lowerBound)).toFixed(2) : "-"})`,
      `last e-mail at          ${seconds(lastMailAt)} s (${lastMailAt ? (EMAILS / ((lastMailAt - started) / 1000)).toFixed(1) : "-"} e-mails/s)`,
      `429s from Slack         ${standIn.rateLimited()}`,
      `duplicates              ${duplicates}`,
      `lost (still pending)    ${open}`,
      `peak RSS (first)        ${Math.round(peakRss / 1024 / 1024)} MB`,
      `event-loop delay        p50 ${(loopDelay.percentile(50) / 1e6).toFixed(0)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, max ${(loopDelay.max / 1e6).toFixed(0)} ms (first instance)`,
      `machine load average    ${loadBefore.toFixed(1)} before, ${(loadavg()[0] ?? 0).toFixed(1)} after (2 cores shared)`,
    ].join("\n"),
  );
  const sorted = [...standIn.gaps].sort((a, b) => a - b);
  const q = (f: number) => sorted[Math.floor(f * (sorted.length - 1))] ?? 0;
  console.log(`gap between posts in a channel  p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${q(1)} ms`);
  for (const child of others) child.kill("SIGTERM");
  await queue.stop();
  standIn.server.close();
  await database.close();
  process.exit(0);
}

if (process.argv.includes("--overdue-day")) await import("./delivery-overdue-day.ts");
else if (process.argv[2] === "--worker") await runWorkerInstance(String(process.argv[3]));
else {
  runWithServeFlags();
  await main();
}
