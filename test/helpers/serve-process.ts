// The real `cobro serve` in a child process, as `npm start` runs it: for tests that must see the
// process itself (still up after a request, what it prints), not only its routes.
//
//   const server = await startServeProcess({ COBRO_DATA_DIR: dir, LOG_LEVEL: "debug" });
//   await fetch(`${server.baseUrl}/healthz`);
//   server.alive();           // false once the process has exited
//   server.output();          // everything it printed so far (stdout + stderr)
//   await server.stop();
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SERVE_NODE_FLAGS } from "../../bench/serve-node-flags.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const cobro = fileURLToPath(new URL("../../bin/cobro.js", import.meta.url));

export type ServeProcess = {
  baseUrl: string;
  port: number;
  child: ChildProcess;
  alive: () => boolean;
  output: () => string;
  stop: () => Promise<void>;
};

export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The environment a test child gets: nothing of the parent's but PATH and what is given. */
function childEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "", COBRO_SCHEDULER: "off", LOG_LEVEL: "warn", ...env };
}

/** Runs one `cobro` command to completion (e.g. to prepare a data directory). */
export async function runCobro(
  args: string[],
  env: Record<string, string>,
): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [cobro, ...args], { cwd: root, env: childEnv(env) });
}

async function answers(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

/** Starts `cobro serve` and resolves once `waitFor` (default /readyz) answers 200. */
export async function startServeProcess(
  env: Record<string, string>,
  options: { waitFor?: string; timeoutMs?: number } = {},
): Promise<ServeProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [...SERVE_NODE_FLAGS, cobro, "serve"], {
    cwd: root,
    env: childEnv({ PORT: String(port), PUBLIC_URL: baseUrl, ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (!alive()) return;
    child.kill("SIGTERM");
    await once(child, "exit");
  };
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while ((await answers(`${baseUrl}${options.waitFor ?? "/readyz"}`)) !== 200) {
    if (!alive() || Date.now() > deadline) {
      await stop();
      throw new Error(`cobro serve did not become ready:\n${output.slice(-3_000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { baseUrl, port, child, alive, output: () => output, stop };
}
