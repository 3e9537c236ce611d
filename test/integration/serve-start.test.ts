// Starting `cobro serve` (the real process): /healthz answers before the database is open, and
// /readyz says ready only when a Slack request would be served.
import { createHmac } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ServeProcess, startServeProcess } from "../helpers/serve-process.ts";

const SIGNING_SECRET = "start-signing-secret";
const KEY = Buffer.alloc(32, 3).toString("base64");

async function readyz(server: ServeProcess): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.baseUrl}/readyz`, { signal: AbortSignal.timeout(30_000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function urlVerification(server: ServeProcess) {
  const body = JSON.stringify({ token: "t", challenge: "ready-check", type: "url_verification" });
  const timestamp = String(Math.floor(Date.now() / 1000));
  return fetch(`${server.baseUrl}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`,
    },
    body,
  });
}

describe.runIf(process.env.COBRO_TEST_DB !== "postgres")("starting cobro serve", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("answers /healthz before the new embedded database exists, and /readyz only once Slack is served", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cobro-start-"));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServeProcess(
      {
        COBRO_DATA_DIR: dataDir,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_BOT_TOKEN: "xoxb-start-test",
        SLACK_API_URL: "http://127.0.0.1:9/api/",
      },
      { waitFor: "/healthz" },
    );
    cleanups.push(() => server.stop());
    const early = await readyz(server);
    expect(early.status).toBe(503);
    expect(early.body).toMatchObject({
      status: "not ready",
      step: expect.stringMatching(/database|workers/),
    });
    // A Slack request before Slack is mounted is told to come back, not that the page does not exist.
    const tooEarly = await urlVerification(server);
    expect(tooEarly.status).toBe(503);
    expect(tooEarly.headers.get("retry-after")).toBe("5");
    expect(await tooEarly.json()).toMatchObject({ error: "starting" });

    let ready = early;
    while (ready.status !== 200) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      ready = await readyz(server);
    }
    expect(ready.body).toMatchObject({ status: "ready", migrated: true, database: "pglite" });
    // The moment /readyz says ready, Slack's endpoint is there.
    const slack = await urlVerification(server);
    expect(slack.status).toBe(200);
    expect(await slack.json()).toEqual({ challenge: "ready-check" });
  });

  it("answers /readyz at once with 503 while the PostgreSQL server does not answer", async () => {
    // Accepts connections and never says a word, as a hung database server would.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    silent.listen(0, "127.0.0.1");
    await once(silent, "listening");
    cleanups.push(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const port = (silent.address() as { port: number }).port;
    const server = await startServeProcess(
      { DATABASE_URL: `postgres://cobro@127.0.0.1:${port}/cobro`, COBRO_ENCRYPTION_KEY: KEY },
      { waitFor: "/healthz" },
    );
    cleanups.push(() => server.stop());
    const answer = await readyz(server);
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({ status: "not ready", step: expect.stringMatching(/database/) });
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });
});
