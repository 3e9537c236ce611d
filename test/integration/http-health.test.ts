import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { healthRoutes } from "../../src/http/health.ts";
import { createHttpServer } from "../../src/http/server.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { silentLogger } from "../helpers/deps.ts";

describe(`health checks on ${backend()}`, () => {
  let base = "";
  let close = () => {};
  beforeAll(async () => {
    const database = await testDatabase();
    const server = createHttpServer(
      healthRoutes(() => ({ step: "ready", database })),
      silentLogger,
    );
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());

  it("answers /healthz and /readyz once the database is migrated", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: "ready",
      migrated: true,
      database: backend() === "postgres" ? "postgres" : "pglite",
    });
  });

  it("answers 404 for unknown paths and 405 for a wrong method", async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: "POST" })).status).toBe(405);
  });
});
