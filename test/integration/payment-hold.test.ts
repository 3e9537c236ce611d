// "Paid already" in reminder e-mails holds the next reminder for the workspace's hold days and tells
// the collector; when nothing arrives, reminders resume and the collector is told.
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { reminderEmailHandler } from "../../src/collections/jobs/send-reminder-email.ts";
import { runReminders } from "../../src/collections/run-reminders.ts";
import { deliveries } from "../../src/db/schema/index.ts";
import { createOutboxMailer } from "../../src/delivery/email/outbox-mailer.ts";
import { runDelivery } from "../../src/delivery/index.ts";
import { invoiceRoutes } from "../../src/http/invoice-routes.ts";
import { createHttpServer } from "../../src/http/server.ts";
import { testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function setup(settings: Record<string, unknown> = {}) {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db, {
    timeZone: "Europe/Paris",
    settings: { jurisdiction: "FR", ...settings },
  });
  const collector = await createMember(db, workspace.id, { roles: ["collector"] });
  const pm = await createMember(db, workspace.id, { roles: ["pm"] });
  const client = await createClient(db, workspace.id, { collectorMemberId: collector.id });
  const project = await createProject(db, workspace.id, client.id, {
    pmMemberId: pm.id,
    slackChannelId: "CPROJ",
  });
  const token = randomBytes(32).toString("base64url");
  // Business default policy: L1 due−3, L2 due+3, L3 +7…
  const invoice = await createIssuedInvoice(db, workspace.id, client.id, {
    projectId: project.id,
    dueDate: "2026-11-20",
    totalMinor: 1_210_000,
    openMinor: 1_210_000,
    receiptToken: token,
  });
  const clock = fixedClock("2026-11-16T09:00:00Z");
  const deps = serviceDeps(db, clock);
  const run = (asOf: string) => {
    clock.set(`${asOf}T09:00:00Z`);
    return runReminders(testCtx(deps, workspace.id), { asOf });
  };
  const claimed = async (type: string) =>
    (await db.select().from(deliveries).where(eq(deliveries.invoiceId, invoice.id))).filter(
      (d) => (d.payload as { type: string }).type === type,
    );
  const server = createHttpServer(
    invoiceRoutes({ ...deps, sendgridWebhook: { publicKey: undefined, acceptUnsigned: false } }),
    silentLogger,
  );
  servers.push(server);
  server.listen(0);
  await once(server, "listening");
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { db, deps, clock, collector, invoice, token, run, claimed, base };
}

describe("payment on its way", () => {
  it("a reminder due during the hold is not sent; after the hold the collector is told and it is", async () => {
    const s = await setup();
    await s.run("2026-11-16");
    expect(await s.run("2026-11-17")).toMatchObject({ sent: 1 }); // L1
    s.clock.set("2026-11-21T10:00:00Z");
    const page = await fetch(`${s.base}/paid/${s.token}`);
    expect(await page.text()).toContain("I have paid");
    expect(await s.claimed("payment_on_its_way")).toHaveLength(0); // opening the link announces nothing
    const answer = await fetch(`${s.base}/paid/${s.token}`, { method: "POST" });
    expect(await answer.text()).toContain("Reminders are on hold");
    await fetch(`${s.base}/paid/${s.token}`, { method: "POST" }); // a second click tells nobody twice
    const told = await s.claimed("payment_on_its_way");
    expect(told).toHaveLength(1);
    expect(told[0]?.payload).toMatchObject({
      channel: s.collector.slackUserId,
      source: "client",
      holdUntil: "2026-11-26",
    });
    // L2 falls due on 11-23: held through 11-26 (5 days, the default).
    for (const day of ["2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"]) {
      expect(await s.run(day)).toMatchObject({ headsUp: 0, sent: 0 });
    }
    expect(await s.run("2026-11-27")).toMatchObject({ brokenPromises: 1, headsUp: 1 });
    const resumed = await s.claimed("promise_broken");
    expect(resumed.map((d) => (d.payload as { channel: string }).channel)).toContain(s.collector.slackUserId);
    expect(await s.run("2026-11-28")).toMatchObject({ sent: 1 });
  });

  it("holds as many days as the workspace setting says", async () => {
    const s = await setup({ paymentHoldDays: 2 });
    s.clock.set("2026-11-21T10:00:00Z");
    await fetch(`${s.base}/paid/${s.token}`, { method: "POST" });
    expect((await s.claimed("payment_on_its_way"))[0]?.payload).toMatchObject({ holdUntil: "2026-11-23" });
  });

  it("every reminder e-mail carries the Paid already link", async () => {
    const s = await setup();
    await s.run("2026-11-16");
    await s.run("2026-11-17");
    const [reminder] = await s.claimed("reminder");
    const dataDir = await mkdtemp(join(tmpdir(), "cobro-hold-outbox-"));
    const handler = reminderEmailHandler({
      db: s.db,
      now: s.deps.now,
      mailer: createOutboxMailer({ dataDir }),
      mailFrom: "billing@cobro.example",
      publicUrl: "https://cobro.example",
    });
    await runDelivery(s.db, { email: handler }, reminder?.id ?? "", silentLogger);
    const [file] = await readdir(join(dataDir, "outbox"));
    const eml = await readFile(join(dataDir, "outbox", file ?? ""), "utf8");
    const textPart = eml.split("Content-Type: text/plain; charset=utf-8")[1]?.split(/\r?\n\r?\n/)[1] ?? "";
    expect(Buffer.from(textPart, "base64").toString("utf8")).toContain(
      `Already paid? Tell us in one click: https://cobro.example/paid/${s.token}`,
    );
  });
});
