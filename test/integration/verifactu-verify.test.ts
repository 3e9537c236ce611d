import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { verifactuCommand } from "../../src/cli/verifactu.ts";
import { deliveries, verifactuRecords, workspaces } from "../../src/db/schema/index.ts";
import { byPayloadType, createSlackSender, fixedBotToken, runDelivery } from "../../src/delivery/index.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { verifactuAlarmSlackHandlers } from "../../src/invoicing/verifactu/jobs/slack-verifactu-alarm.ts";
import { runSchedulerTick } from "../../src/scheduler.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";
import { SLACK_API_URL, slackApi } from "../helpers/slack-api.ts";

const api = slackApi();
beforeEach(() => api.reset());
afterAll(() => api.reset());

async function chainOfThree() {
  const database = await testDatabase();
  const { db } = database;
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const deps = serviceDeps(db, clock);
  const workspace = await createWorkspace(db);
  const client = await createClient(db, workspace.id, {
    country: "ES",
    taxId: "ESB87654321",
    currency: "EUR",
  });
  for (const amount of [100_000, 200_000, 300_000]) {
    const { invoice: draft } = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [{ description: "Consultoría", quantityMilli: 1000, unitPriceMinor: amount }],
    });
    await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id });
  }
  const records = await db
    .select()
    .from(verifactuRecords)
    .where(eq(verifactuRecords.workspaceId, workspace.id))
    .orderBy(verifactuRecords.sequence);
  const cli = cliRunner(verifactuCommand, { deps, database });
  const verify = () => cli.run("verify", "--nif", "B12345678", "--workspace", workspace.id);
  return { database, db, deps, clock, workspace, records, verify };
}

type TestDb = Awaited<ReturnType<typeof testDatabase>>["db"];

function alarmsOf(db: TestDb, workspaceId: string) {
  return db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.workspaceId, workspaceId),
        sql`${deliveries.dedupeKey} like 'verifactu-chain-alarm:%'`,
      ),
    );
}

/** Delivers a claimed alarm to the Slack stand-in, as the worker does. */
function postAlarm(db: TestDb, clock: ReturnType<typeof fixedClock>, deliveryId: string) {
  const sender = createSlackSender({
    db,
    now: clock,
    botToken: fixedBotToken("xoxb-test"),
    apiUrl: SLACK_API_URL,
  });
  const handlers = { slack_message: byPayloadType(verifactuAlarmSlackHandlers(sender, db)) };
  return runDelivery(db, handlers, deliveryId, silentLogger);
}

/** What a bad actor with the table owner's rights would do: switch the guard off, rewrite, switch it on. */
async function tamper(db: Awaited<ReturnType<typeof testDatabase>>["db"], rewrite: () => Promise<unknown>) {
  await db.execute(sql`alter table verifactu_records disable trigger verifactu_records_chained_immutable`);
  try {
    await rewrite();
  } finally {
    await db.execute(sql`alter table verifactu_records enable trigger verifactu_records_chained_immutable`);
  }
}

describe(`VERI*FACTU chain verification on ${backend()}`, () => {
  it("proves an intact chain, and the database refuses to rewrite or delete a record", async () => {
    const { db, records, verify } = await chainOfThree();
    expect(records.map((r) => r.sequence)).toEqual([1, 2, 3]);
    expect(await verify()).toEqual({
      code: 0,
      out: "Chain of B12345678: 3 record(s), intact (every hash recomputed, every link and the time order checked).",
    });
    const second = records[1]!;
    await expect(
      db
        .update(verifactuRecords)
        .set({ hash: "0".repeat(64) })
        .where(eq(verifactuRecords.id, second.id)),
    ).rejects.toThrow();
    await expect(db.delete(verifactuRecords).where(eq(verifactuRecords.id, second.id))).rejects.toThrow();
    // The AEAT's answer is not part of the chain: it may still be stored.
    await db
      .update(verifactuRecords)
      .set({ submissionStatus: "accepted" })
      .where(eq(verifactuRecords.id, second.id));
  });

  it("finds a record whose amount was rewritten, and one re-hashed to hide it by the broken link after it", async () => {
    const { db, records, verify } = await chainOfThree();
    const second = records[1]!;
    const forged = second.hashInput.replace("ImporteTotal=2420.00", "ImporteTotal=242.00");
    expect(forged).not.toBe(second.hashInput);
    await tamper(db, () =>
      db.update(verifactuRecords).set({ hashInput: forged }).where(eq(verifactuRecords.id, second.id)),
    );
    const found = await verify();
    expect(found.code).toBe(1);
    expect(found.out).toContain(`Chain of B12345678: BROKEN at record 2 (alta of ${second.seriesNumber}):`);
    expect(found.out).toMatch(/its hash [0-9A-F]{12}… is not the hash of its content/);

    // A smarter forger also replaces the hash: the next record no longer links to it.
    const rehashed = createHash("sha256").update(forged).digest("hex").toUpperCase();
    await tamper(db, () =>
      db.update(verifactuRecords).set({ hash: rehashed }).where(eq(verifactuRecords.id, second.id)),
    );
    const linked = await verify();
    expect(linked.code).toBe(1);
    expect(linked.out).toContain(`BROKEN at record 3 (alta of ${records[2]!.seriesNumber}):`);
    expect(linked.out).toContain("but the record before it (number 2");
  });

  it("finds a deleted record, and raises the daily alarm in the billing channel once a day until resolved", async () => {
    const { db, deps, clock, workspace, records, verify } = await chainOfThree();
    await tamper(db, () => db.delete(verifactuRecords).where(eq(verifactuRecords.id, records[1]!.id)));
    const found = await verify();
    expect(found.out).toContain("BROKEN at record 3");
    expect(found.out).toContain("record number 2 is missing: the chain goes from 1 to 3");

    // Twice the same day (two instances, two ticks): one alarm. The next day: the alarm again.
    clock.set("2026-11-23T08:30:00Z"); // 09:30 in Madrid, after the scan hour
    await Promise.all([
      runSchedulerTick(deps, { workspaceIds: [workspace.id] }),
      runSchedulerTick(deps, { workspaceIds: [workspace.id] }),
    ]);
    clock.set("2026-11-24T08:30:00Z");
    await runSchedulerTick(deps, { workspaceIds: [workspace.id] });
    const alarms = await alarmsOf(db, workspace.id);
    expect(alarms.map((a) => a.dedupeKey).sort()).toEqual([
      "verifactu-chain-alarm:B12345678:2026-11-23",
      "verifactu-chain-alarm:B12345678:2026-11-24",
    ]);
    expect(await postAlarm(db, clock, alarms[0]!.id)).toEqual({ status: "sent" });
    const [post] = api.calls("chat.postMessage");
    expect(post?.body.channel).toBe("CBILLING");
    expect(post?.body.text).toBe(
      `VERI*FACTU alarm: the chain of B12345678 is broken at record 3 (${records[2]!.seriesNumber}).`,
    );
    expect(JSON.stringify(post?.body.blocks)).toContain("record number 2 is missing");
  });
  it("says the alarm in the workspace's language: a Spanish billing channel reads what is wrong in Spanish", async () => {
    const { db, deps, clock, workspace, records } = await chainOfThree();
    await db.update(workspaces).set({ locale: "es" }).where(eq(workspaces.id, workspace.id));
    await tamper(db, () => db.delete(verifactuRecords).where(eq(verifactuRecords.id, records[1]!.id)));
    clock.set("2026-11-23T08:30:00Z");
    await runSchedulerTick(deps, { workspaceIds: [workspace.id] });
    const [alarm] = await alarmsOf(db, workspace.id);
    expect(await postAlarm(db, clock, alarm!.id)).toEqual({ status: "sent" });
    const post = api.calls("chat.postMessage").at(-1);
    expect(post?.body.text).toBe(
      `Alarma VERI*FACTU: la cadena de B12345678 está rota en el registro 3 (${records[2]!.seriesNumber}).`,
    );
    const blocks = JSON.stringify(post?.body.blocks);
    expect(blocks).toContain("Cadena VERI*FACTU rota");
    expect(blocks).toContain("Qué falla (registro de alta):");
    expect(blocks).toContain("falta el registro número 2: la cadena pasa del 1 al 3");
    expect(blocks).toContain("enlaza con la huella");
    expect(blocks).toContain("Esta alarma se repite cada día");
    expect(blocks).not.toMatch(/is missing|links to hash|Records are never edited/);
  });
});
