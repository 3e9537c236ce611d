// `cobro serve` and its local console: served only without Slack credentials, reachable only on
// 127.0.0.1 unless bound explicitly, and answering only requests signed with this run's secret.

import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sign } from "../../src/console/sign-request.ts";
import { runCobro, startServeProcess } from "../helpers/serve-process.ts";

/** Another address of this machine than 127.0.0.1: a network interface's, else 127.0.0.2 (also loopback). */
function otherAddress(): string {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i && i.family === "IPv4" && !i.internal);
  return external?.address ?? "127.0.0.2";
}

/**
 * The status line over a raw socket: msw, listening in this worker for other files, intercepts
 * fetch to any address but 127.0.0.1, and these requests must reach the network for real.
 */
function rawStatus(host: string, port: number, path: string): Promise<number | string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3_000 });
    let head = "";
    socket.on("connect", () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`),
    );
    socket.on("data", (chunk) => {
      head += chunk.toString("latin1");
      const match = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (match) {
        resolve(Number(match[1]));
        socket.destroy();
      }
    });
    socket.on("timeout", () => {
      resolve("ETIMEDOUT");
      socket.destroy();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

async function status(url: string, init?: RequestInit): Promise<number | string> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(3_000) });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? String(error);
  }
}

// Once per run: `cobro serve` uses its own embedded database whichever back end the project tests.
describe.runIf(process.env.COBRO_TEST_DB !== "postgres")("the local console in cobro serve", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "cobro-console-serve-"));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("refuses to start the console with Slack credentials, naming what to unset", async () => {
    const failed = await runCobro(["serve"], {
      COBRO_DATA_DIR: dataDir,
      COBRO_CONSOLE: "on",
      SLACK_BOT_TOKEN: "xoxb-real",
      SLACK_SIGNING_SECRET: "real-secret",
    }).then(
      () => null,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain(
      "COBRO_CONSOLE: the local console never runs next to a real Slack workspace: unset SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET or COBRO_CONSOLE",
    );
    expect(failed?.stderr).not.toMatch(/xoxb-real|real-secret|\n\s+at /);
  });

  it("serves the console on 127.0.0.1 only, and only requests signed with this run's secret", async () => {
    const server = await startServeProcess({ COBRO_DATA_DIR: dataDir });
    try {
      expect(await status(`${server.baseUrl}/console`)).toBe(200);
      expect(await rawStatus(otherAddress(), server.port, "/console")).toBe("ECONNREFUSED");
      // A command signed with any secret but this run's (here: the tests' own) is refused.
      const body = new URLSearchParams({
        team_id: "TCOBROCONSOLE",
        user_id: "U1",
        command: "/cobro",
        text: "help",
      }).toString();
      const timestamp = Math.floor(Date.now() / 1000);
      const forged = await status(`${server.baseUrl}/slack/events`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-slack-request-timestamp": String(timestamp),
          "x-slack-signature": sign("test-signing-secret", timestamp, body),
        },
        body,
      });
      expect(forged).toBe(401);
      // The Web API stand-in answers Slack's errors: a view with a trigger id it never handed out.
      const opened = await fetch(`${server.baseUrl}/console/slack/api/views.open`, {
        method: "POST",
        headers: { authorization: "Bearer xoxb-any", "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          trigger_id: "1.forged",
          view: JSON.stringify({ type: "modal", blocks: [] }),
        }),
      });
      expect(await opened.json()).toEqual({ ok: false, error: "invalid_trigger_id" });
    } finally {
      await server.stop();
    }
  });

  it("is reachable from other addresses only when bound explicitly", async () => {
    const server = await startServeProcess({ COBRO_DATA_DIR: dataDir, COBRO_CONSOLE_HOST: "0.0.0.0" });
    try {
      expect(await rawStatus(otherAddress(), server.port, "/console")).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it("is not served next to a real Slack workspace", async () => {
    const server = await startServeProcess({
      COBRO_DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: "xoxb-real",
      SLACK_SIGNING_SECRET: "real-secret",
      // Nobody answers there: Cobro only warns that it could not ask Slack which team it is.
      SLACK_API_URL: "http://127.0.0.1:9/api/",
    });
    try {
      expect(await status(`${server.baseUrl}/console`)).toBe(404);
      expect(await status(`${server.baseUrl}/console/slack/api/auth.test`, { method: "POST" })).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
