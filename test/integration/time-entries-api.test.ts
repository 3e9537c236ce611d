import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { timeEntries } from "../../src/db/schema/index.ts";
import { apiRoutes } from "../../src/http/api-routes.ts";
import { createHttpServer } from "../../src/http/server.ts";
import { createApiKey } from "../../src/workspace/create-api-key.ts";
import { revokeApiKey } from "../../src/workspace/revoke-api-key.ts";
import { testDatabase } from "../helpers/db.ts";
import { serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createWorkspace } from "../helpers/factories.ts";
import { timesheetWorld } from "../helpers/timesheets.ts";

let database: Database;
let server: Server;
let base: string;

beforeAll(async () => {
  database = await testDatabase();
  server = createHttpServer(apiRoutes(serviceDeps(database.db)), silentLogger);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const post = (body: unknown, key?: string) =>
  fetch(`${base}/api/v1/time-entries`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const item = (id: string, values: Record<string, unknown> = {}) => ({
  external_id: id,
  project_code: "ATLAS",
  person_email: "ada@acme.example",
  date: "2026-11-16",
  hours: 1.5,
  description: "Checkout",
  ...values,
});

describe("POST /api/v1/time-entries", () => {
  it("refuses a missing, bad or revoked key with 401 and says why", async () => {
    const world = await timesheetWorld(database.db);
    const missing = await post({ entries: [item("x")] });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: "unauthorized", code: "apikey.missing" });

    const bad = await post({ entries: [item("x")] }, "cobro_0123456789ab_wrongwrongwrongwrongwrongwrong");
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ code: "apikey.invalid", message: "Invalid API key." });

    const key = await createApiKey(testCtx(serviceDeps(database.db), world.workspace.id), { name: "jira" });
    const tampered = key.key.slice(0, -2) + (key.key.endsWith("A") ? "BB" : "AA");
    expect((await post({ entries: [item("x")] }, tampered)).status).toBe(401);

    await revokeApiKey(testCtx(serviceDeps(database.db), world.workspace.id), { prefixOrId: key.prefix });
    const revoked = await post({ entries: [item("x")] }, key.key);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ code: "apikey.revoked" });
  });

  it("saves a batch into the key's workspace and is idempotent on external_id", async () => {
    const world = await timesheetWorld(database.db);
    const otherWorkspace = await createWorkspace(database.db);
    const { key } = await createApiKey(testCtx(serviceDeps(database.db), world.workspace.id), {
      name: "jira",
    });
    const body = {
      workspace_id: otherWorkspace.id,
      entries: [item("JIRA-1"), item("JIRA-2", { minutes: 20, hours: undefined })],
    };
    const first = await post(body, key);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ created: 2, updated: 0, unchanged: 0 });
    const again = await post(body, key);
    expect(await again.json()).toEqual({ created: 0, updated: 0, unchanged: 2 });
    const corrected = await post({ entries: [item("JIRA-1", { hours: 2 })] }, key);
    expect(await corrected.json()).toEqual({ created: 0, updated: 1, unchanged: 0 });
    const rows = await database.db
      .select()
      .from(timeEntries)
      .where(eq(timeEntries.workspaceId, world.workspace.id));
    expect(rows.map((r) => r.minutes).sort((a, b) => a - b)).toEqual([20, 120]);
    const elsewhere = await database.db
      .select()
      .from(timeEntries)
      .where(eq(timeEntries.workspaceId, otherWorkspace.id));
    expect(elsewhere).toHaveLength(0);
  });

  it("answers 422 with the index, field and message of every bad item, and saves none", async () => {
    const world = await timesheetWorld(database.db);
    const { key } = await createApiKey(testCtx(serviceDeps(database.db), world.workspace.id), {
      name: "jira",
    });
    const response = await post(
      {
        entries: [
          item("ok-1"),
          item("bad-1", { person_email: "nobody", hours: "-1" }),
          { project_code: "ATLAS" },
          item("ok-1"),
        ],
      },
      key,
    );
    expect(response.status).toBe(422);
    const body = (await response.json()) as { errors: { index: number; field: string; message: string }[] };
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { index: 1, field: "person_email", message: "is not an e-mail address" },
        { index: 1, field: "hours", message: expect.stringContaining("duration") },
        { index: 2, field: "external_id", message: "is required (your id of the entry)" },
        { index: 3, field: "external_id", message: "repeats item 0" },
      ]),
    );
    const unknown = await post({ entries: [item("u-1", { project_code: "NOPE" })] }, key);
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({
      errors: [{ index: 0, field: "project_code", message: 'no project has the code "NOPE"' }],
    });
    expect((await post("{not json", key)).status).toBe(400);
    expect((await post({ entries: [] }, key)).status).toBe(422);
    const rows = await database.db
      .select()
      .from(timeEntries)
      .where(eq(timeEntries.workspaceId, world.workspace.id));
    expect(rows).toHaveLength(0);
  });
});
