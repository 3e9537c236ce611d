// `npm run bench:slack`: how fast Slack gets its ack. Runs the real `cobro serve` (single-workspace
// mode, signing secret) against a real PostgreSQL (DATABASE_URL) holding 100,000 synthetic
// invoices, with SLACK_API_URL and every response_url pointing at a tiny fake Slack on loopback.
// Then 50 concurrent clients send signed `/milestone done <project> <milestone>` (each a milestone
// not yet done) and `/aging` for ~20 s each, and it prints p50/p99 of the HTTP response (the ack;
// Slack allows 3,000 ms) and of the reply posted to response_url afterwards. Requests the server
// sheds (its ack says Cobro is busy) are counted apart from those fully processed (the reply reached
// response_url); the server's peak RSS, CPU and event-loop delay come from bench/serve-probe.mjs.
// Never fails on timing.
import { spawn } from "node:child_process";
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { once } from "node:events";
import { readFileSync, rmSync } from "node:fs";
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { openPostgres } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { BUSY_TEXT } from "../src/slack/bounded-app.ts";
import { generateDataset } from "./generate-data.ts";
import { SERVE_NODE_FLAGS } from "./serve-node-flags.ts";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL must point at a throwaway PostgreSQL (see README Benchmarks).");
  process.exit(2);
}
const INVOICES = Number(process.env.BENCH_INVOICES ?? 100_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const MILESTONES_PER_PROJECT = Number(process.env.BENCH_MILESTONES_PER_PROJECT ?? 24);
const TODAY = "2026-11-23";
const SIGNING_SECRET = randomBytes(16).toString("hex");
const ENCRYPTION_KEY = process.env.COBRO_ENCRYPTION_KEY ?? randomBytes(32).toString("base64");
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? 60);
const TEAM_ID = `TBENCH${randomUUID().replaceAll("-", "").slice(0, 8).toUpperCase()}`;
const USER_ID = "UBENCH";

// --- the data ------------------------------------------------------------------------------------
const database = openPostgres(url, { max: 4 });
await runMigrations(database);
console.log(`loading ${INVOICES} invoices across ${CLIENTS} clients…`);
const data = await generateDataset(database, {
  invoices: INVOICES,
  clients: CLIENTS,
  databaseUrl: url,
  today: TODAY,
});
const workspaceId = data.workspaceId;
await database.query(
  `update workspaces set slack_team_id = $2, billing_channel_id = 'CBILLING',
     collections_channel_id = 'CCOLLECT', locale = 'en', seller = $3::jsonb where id = $1`,
  [
    workspaceId,
    TEAM_ID,
    JSON.stringify({
      legalName: "Bench Consulting SL",
      legalForm: "SL",
      address: { line1: "Calle Mayor 1", postcode: "28013", city: "Madrid", country: "ES" },
      vatId: "ESB12345678",
      nif: "B12345678",
      iban: "ES9121000418450200051332",
      email: "billing@bench.example",
    }),
  ],
);
await database.query(
  "insert into members (workspace_id, slack_user_id, email, name, roles) values ($1, $2, 'bench@acme.example', 'Bench PM', '{admin,billing,pm}')",
  [workspaceId, USER_ID],
);
// Planned milestones to mark done: one per request, so every /milestone done does the real work
// (draft invoice, audit row, two claimed Slack posts) rather than the "already done" path.
await database.query(
  `insert into milestones (workspace_id, project_id, name, amount_minor, currency)
   select p.workspace_id, p.id, 'm' || n, 100000 + n, p.currency
   from projects p, generate_series(1, $2::int) as n where p.workspace_id = $1`,
  [workspaceId, MILESTONES_PER_PROJECT],
);
const targets = (
  await database.query<{ code: string; name: string }>(
    `select p.code, m.name from milestones m join projects p on p.id = m.project_id
     where m.workspace_id = $1 order by m.name, p.code`,
    [workspaceId],
  )
).map((row) => `done ${row.code} ${row.name}`);
await database.exec("vacuum analyze");
console.log(
  `loaded in ${data.seconds.toFixed(1)} s: ${data.invoices} invoices (${data.openInvoices} open), ${data.clients} clients, ${data.projects} projects, ${targets.length} planned milestones`,
);

// --- a fake Slack on loopback: Web API methods and response_url hooks ----------------------------
const replyArrivals = new Map<string, number>();
/** How many replies of each kind (first line, digits blanked) each command got. */
const replyKinds = new Map<string, number>();
const apiCalls = new Map<string, number>();
let nextTs = 1_700_000_000;
const fakeSlack = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const path = req.url ?? "/";
    if (path.startsWith("/hooks/")) {
      const id = path.slice("/hooks/".length);
      replyArrivals.set(id, performance.now());
      let text = "";
      try {
        text = String((JSON.parse(Buffer.concat(chunks).toString()) as { text?: unknown }).text ?? "");
      } catch {
        text = "(not JSON)";
      }
      const kind = `${id.split("-")[0]}: ${text.split("\n")[0]?.replace(/\d+/g, "#").slice(0, 80)}`;
      replyKinds.set(kind, (replyKinds.get(kind) ?? 0) + 1);
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
      return;
    }
    const method = path.replace(/^\/api\//, "").split("?")[0] ?? "";
    apiCalls.set(method, (apiCalls.get(method) ?? 0) + 1);
    const ts = `${nextTs++}.000100`;
    const body: Record<string, unknown> =
      method === "auth.test"
        ? { ok: true, user_id: "UCOBROBOT", bot_id: "BCOBRO", team_id: TEAM_ID, user: "cobro" }
        : method.startsWith("views.")
          ? { ok: true, view: { id: `V${ts}` } }
          : method === "conversations.open"
            ? { ok: true, channel: { id: "DBENCH" } }
            : { ok: true, channel: "CBILLING", ts, message_ts: ts };
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
});
fakeSlack.listen(0, "127.0.0.1");
await once(fakeSlack, "listening");
const fakeBase = `http://127.0.0.1:${(fakeSlack.address() as AddressInfo).port}`;

// --- the real server, as `cobro serve` runs it -----------------------------------------------------
const port = await new Promise<number>((resolve) => {
  const probe = createServer().listen(0, "127.0.0.1", () => {
    const { port: free } = probe.address() as AddressInfo;
    probe.close(() => resolve(free));
  });
});
type Serve = ReturnType<typeof spawn> & { probeFile: string };

/** Nanoseconds this thread has spent runnable but waiting for a CPU (Linux; 0 elsewhere). */
function runQueueWaitNs(): number {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[1]);
  } catch {
    return 0;
  }
}

type ServerFigures = {
  peakRssBytes: number;
  rssBytes: number;
  loopDelayMs: { p50: number; p99: number; max: number };
  cpuMs: number;
  runQueueWaitMs: number;
  wallMs: number;
};

function readProbe(serve: Serve): ServerFigures | undefined {
  try {
    return JSON.parse(readFileSync(serve.probeFile, "utf8")) as ServerFigures;
  } catch {
    return undefined;
  }
}

/** Starts `cobro serve` and resolves once /readyz and the Slack routes answer. */
async function startServe(): Promise<Serve> {
  const probeFile = join(tmpdir(), `cobro-serve-probe-${process.pid}-${sent}.json`);
  const nodeArgs = (process.env.BENCH_SERVE_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const spawned = spawn(
    process.execPath,
    [
      ...SERVE_NODE_FLAGS,
      ...nodeArgs,
      "--import",
      fileURLToPath(new URL("./serve-probe.mjs", import.meta.url)),
      fileURLToPath(new URL("../bin/cobro.js", import.meta.url)),
      "serve",
    ],
    {
      env: {
        ...process.env,
        BENCH_PROBE_FILE: probeFile,
        DATABASE_URL: url,
        COBRO_ENCRYPTION_KEY: ENCRYPTION_KEY,
        PORT: String(port),
        LOG_LEVEL: "warn",
        COBRO_SCHEDULER: "off",
        SLACK_BOT_TOKEN: "xoxb-bench-token",
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: `${fakeBase}/api/`,
      },
      stdio: ["ignore", "inherit", "inherit"],
    },
  );
  const child = Object.assign(spawned, { probeFile });
  // /readyz answers before the Slack routes are mounted: wait for a command to be acked too.
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cobro serve exited with ${child.exitCode}`);
    const ready = await signedCommand("/cobro", "help", `ready-${sent++}`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopServe(child: Serve): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return false;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  await exited;
  return true;
}

const base = `http://127.0.0.1:${port}`;

// --- the load ------------------------------------------------------------------------------------
let sent = 0;
async function signedCommand(command: string, text: string, id: string) {
  const body = new URLSearchParams({
    token: "legacy-verification-token",
    team_id: TEAM_ID,
    team_domain: "bench",
    channel_id: "CPROJECT",
    channel_name: "project",
    user_id: USER_ID,
    user_name: "bench",
    command,
    text,
    api_app_id: "ACOBRO",
    is_enterprise_install: "false",
    response_url: `${fakeBase}/hooks/${id}`,
    trigger_id: `${Date.now()}.${id}`,
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  const { status, text: ackBody } = await post(`${base}/slack/events`, body, {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": signature,
  });
  return { status, shed: isBusyAck(ackBody) };
}

// node:http with kept-alive connections, one per client (like wrk or autocannon): fetch costs this
// process several times more CPU per request, and its CPU is taken from the same two cores.
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(url: string, body: string, headers: Record<string, string>) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The server refused the command for load: its ack itself is the "Cobro is busy" message. */
function isBusyAck(ackBody: string): boolean {
  if (!ackBody.startsWith("{")) return false;
  try {
    return (JSON.parse(ackBody) as { text?: unknown }).text === BUSY_TEXT;
  } catch {
    return false;
  }
}

type Sample = { id: string; start: number; ack: number; status: number; shed: boolean };

async function load(serve: Serve, command: string, nextText: () => string | undefined, seconds: number) {
  const samples: Sample[] = [];
  const errors = new Map<string, number>();
  serve.kill("SIGUSR2"); // the probe's figures start here
  // The load generator shares the cores: its own event-loop delay and CPU are part of each ack.
  const ownDelay = monitorEventLoopDelay({ resolution: 5 });
  ownDelay.enable();
  const ownCpu = process.cpuUsage();
  const ownWait = runQueueWaitNs();
  const started = performance.now();
  const until = started + seconds * 1000;
  const client = async () => {
    while (performance.now() < until) {
      const text = nextText();
      if (text === undefined) return;
      const id = `${command.slice(1)}-${sent++}`;
      const start = performance.now();
      try {
        const { status, shed } = await signedCommand(command, text, id);
        samples.push({ id, start, ack: performance.now() - start, status, shed });
      } catch (error) {
        const key = String((error as Error).cause ?? error);
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, client));
  const elapsed = (performance.now() - started) / 1000;
  ownDelay.disable();
  const cpu = process.cpuUsage(ownCpu);
  const generator = {
    loopDelayMs: { p50: ownDelay.percentile(50) / 1e6, p99: ownDelay.percentile(99) / 1e6 },
    cpuShare: (cpu.user + cpu.system) / 1000 / (elapsed * 1000),
    waitShare: (runQueueWaitNs() - ownWait) / 1e6 / (elapsed * 1000),
    loadAverage: loadavg()[0] ?? Number.NaN,
  };
  const server = readProbe(serve);
  // Replies come after the ack, once the listener's work is done: wait for the backlog to drain
  // for a while; what is still missing then is reported. Shed requests get no reply by design.
  const settle = performance.now() + DRAIN_SECONDS * 1000;
  while (samples.some((s) => !s.shed && !replyArrivals.has(s.id)) && performance.now() < settle) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const drained = (performance.now() - started) / 1000 - elapsed;
  return { samples, errors, elapsed, drained, server, generator };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function summarize(label: string, run: Awaited<ReturnType<typeof load>>) {
  const acks = run.samples.map((s) => s.ack).sort((a, b) => a - b);
  const processed = run.samples.filter((s) => replyArrivals.has(s.id));
  const shed = run.samples.filter((s) => s.shed).length;
  const missing = run.samples.length - processed.length - shed;
  const replies = processed.map((s) => (replyArrivals.get(s.id) as number) - s.start).sort((a, b) => a - b);
  const statuses = new Map<number, number>();
  for (const s of run.samples) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(
    `${label}: ${run.samples.length} requests in ${run.elapsed.toFixed(1)} s = ${(run.samples.length / run.elapsed).toFixed(0)} req/s, ${CONCURRENCY} clients`,
  );
  console.log(
    `  ack (HTTP response)   p50 ${ms(quantile(acks, 0.5))}  p99 ${ms(quantile(acks, 0.99))}  max ${ms(acks.at(-1) ?? Number.NaN)}  (target p99 < 100 ms; Slack allows 3,000 ms)`,
  );
  console.log(
    `  processed ${processed.length} (reply reached response_url), shed ${shed} (acked "Cobro is busy, try again"), neither ${missing}`,
  );
  console.log(
    `  reply (response_url)  p50 ${ms(quantile(replies, 0.5))}  p99 ${ms(quantile(replies, 0.99))}  (of the processed; last one ${run.drained.toFixed(1)} s after the load stopped)`,
  );
  const { generator } = run;
  console.log(
    `  load generator (this process, with the fake Slack): event-loop delay p50 ${generator.loopDelayMs.p50.toFixed(1)} ms  p99 ${generator.loopDelayMs.p99.toFixed(1)} ms; CPU ${(100 * generator.cpuShare).toFixed(0)} % of a core, waited for a core ${(100 * generator.waitShare).toFixed(0)} % of the time; machine load average ${generator.loadAverage.toFixed(1)}`,
  );
  const server = run.server;
  if (server) {
    console.log(
      `  server during the load: event-loop delay p50 ${server.loopDelayMs.p50} ms  p99 ${server.loopDelayMs.p99} ms  max ${server.loopDelayMs.max} ms; CPU ${((100 * server.cpuMs) / server.wallMs).toFixed(0)} % of a core, main thread waited for a core ${((100 * server.runQueueWaitMs) / server.wallMs).toFixed(0)} % of the time; RSS ${mb(server.rssBytes)}`,
    );
  }
  console.log(
    `  statuses ${JSON.stringify(Object.fromEntries(statuses))}${run.errors.size > 0 ? `  errors ${JSON.stringify(Object.fromEntries(run.errors))}` : ""}`,
  );
}

/** One request at a time: what a single command costs when nothing else runs. */
async function probe(command: string, nextText: () => string | undefined, count: number) {
  const acks: number[] = [];
  const replies: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = `probe${command.slice(1)}-${sent++}`;
    const start = performance.now();
    await signedCommand(command, nextText() ?? "list", id);
    acks.push(performance.now() - start);
    while (!replyArrivals.has(id) && performance.now() - start < 30_000) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    replies.push((replyArrivals.get(id) ?? Number.NaN) - start);
  }
  const median = (values: number[]) =>
    quantile(
      [...values].sort((a, b) => a - b),
      0.5,
    ).toFixed(1);
  console.log(
    `  alone, one at a time: ack ${median(acks)} ms, reply ${median(replies)} ms (median of ${count})`,
  );
}

let exitCode = 0;
let target = 0;
const nextMilestone = () => targets[target++];
const phases: [string, string, () => string | undefined][] = [
  ["/milestone done <project> <milestone>", "/milestone", nextMilestone],
  ["/aging", "/aging", () => ""],
];
for (const [label, command, nextText] of phases) {
  let serve: Serve | undefined;
  try {
    serve = await startServe();
    // Warm up (first auth.test, JIT, connection pool), then the cost of one request alone.
    for (let i = 0; i < 10; i++) await signedCommand(command, nextText() ?? "list", `warmup-${sent++}`);
    console.log(`${label}:`);
    await probe(command, nextText, 10);
    const run = await load(serve, command, nextText, SECONDS);
    summarize(`${label} under load`, run);
    if (command === "/milestone" && target >= targets.length) {
      console.log("  (ran out of planned milestones: the rest hit the already-done path)");
    }
  } catch (error) {
    console.error(error);
    exitCode = 1;
  } finally {
    if (serve && !(await stopServe(serve))) {
      console.log(`  cobro serve had exited by itself (${serve.exitCode ?? serve.signalCode})`);
      exitCode = 1;
    }
    const peak = serve && readProbe(serve)?.peakRssBytes;
    if (peak) console.log(`  peak RSS of cobro serve ${mb(peak)}`);
    if (serve) rmSync(serve.probeFile, { force: true });
  }
}
try {
  const [row] = await database.query<{ done: string; drafts: string }>(
    `select (select count(*) from milestones where workspace_id = $1 and status = 'done') as done,
            (select count(*) from invoices where workspace_id = $1 and status = 'draft') as drafts`,
    [workspaceId],
  );
  console.log("replies by kind:");
  for (const [kind, count] of [...replyKinds].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    console.log(`  ${String(count).padStart(6)}  ${kind}`);
  }
  console.log(
    `milestones marked done ${row?.done}, draft invoices ${row?.drafts}; fake Slack saw ${JSON.stringify(Object.fromEntries(apiCalls))}`,
  );
} finally {
  fakeSlack.close();
  await database.close();
}
process.exit(exitCode);
