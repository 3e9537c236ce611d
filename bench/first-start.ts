// `npm run bench:first-start`: how soon a new `cobro serve` answers. Starts the real server (as
// `npm start` does) and prints the time from spawn to the first 200 of /healthz and of /readyz, the
// RSS once ready, and the peak RSS (VmHWM) over the start: embedded on a fresh data directory, then
// a second start on that same directory, then on PostgreSQL when DATABASE_URL is given (a throwaway
// database: the schema is migrated in it). BENCH_RUNS=n repeats each case. Never fails on timing.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SERVE_NODE_FLAGS } from "./serve-node-flags.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 1);
const TIMEOUT_MS = 180_000;

type Figures = {
  healthzMs: number;
  readyzMs: number;
  rssMb: number;
  peakRssMb: number;
  /** Highest RSS of the server and its child processes together (sampled every 50 ms). */
  treePeakMb: number;
};

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** VmRSS and VmHWM (peak) of a process, in MB, from /proc (0 where unavailable). */
function memoryOf(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { rss: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
  } catch {
    return { rss: 0, peak: 0 };
  }
}

/** RSS (MB) of a process and all its descendants, from /proc. */
function treeRssMb(pid: number): number {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return 0;
  }
  return memoryOf(pid).rss + children.reduce((sum, child) => sum + treeRssMb(child), 0);
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

async function waitFor(url: string, child: ChildProcess, started: number): Promise<number> {
  while (performance.now() - started < TIMEOUT_MS) {
    if (child.exitCode !== null) throw new Error(`cobro serve exited with ${child.exitCode}`);
    if (await answers(url)) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${url} did not answer within ${TIMEOUT_MS / 1000} s`);
}

async function startOnce(env: Record<string, string>): Promise<Figures> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [...SERVE_NODE_FLAGS, join(root, "bin/cobro.js"), "serve"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      LOG_LEVEL: "warn",
      COBRO_SCHEDULER: "off",
      PORT: String(port),
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let treePeakMb = 0;
  const sampler = setInterval(() => {
    treePeakMb = Math.max(treePeakMb, treeRssMb(child.pid ?? 0));
  }, 50);
  try {
    const healthzMs = await waitFor(`${base}/healthz`, child, started);
    const readyzMs = await waitFor(`${base}/readyz`, child, started);
    // What the process holds once settled: give the start's garbage a moment to go.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const memory = memoryOf(child.pid ?? 0);
    return { healthzMs, readyzMs, rssMb: memory.rss, peakRssMb: memory.peak, treePeakMb };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${stderr.slice(-2_000)}`);
  } finally {
    clearInterval(sampler);
    child.kill("SIGTERM");
    if (child.exitCode === null) await once(child, "exit");
  }
}

function print(label: string, figures: Figures): void {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `${label.padEnd(28)} /healthz ${s(figures.healthzMs).padStart(8)}   /readyz ${s(figures.readyzMs).padStart(8)}   RSS ${figures.rssMb.toFixed(0).padStart(4)} MB   peak ${figures.peakRssMb.toFixed(0).padStart(4)} MB   with children ${figures.treePeakMb.toFixed(0).padStart(4)} MB`,
  );
}

console.log(
  `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GB, load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(" ")}, node ${process.version}`,
);
for (let run = 0; run < RUNS; run++) {
  const dataDir = mkdtempSync(join(tmpdir(), "cobro-first-start-"));
  try {
    print("embedded, fresh directory", await startOnce({ COBRO_DATA_DIR: dataDir }));
    print("embedded, second start", await startOnce({ COBRO_DATA_DIR: dataDir }));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const url = process.env.DATABASE_URL;
  if (url) {
    const key = process.env.COBRO_ENCRYPTION_KEY ?? Buffer.alloc(32, 1).toString("base64");
    print("PostgreSQL", await startOnce({ DATABASE_URL: url, COBRO_ENCRYPTION_KEY: key }));
  }
}
