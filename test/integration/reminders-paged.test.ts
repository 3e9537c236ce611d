import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { collectionsSlackHandlers } from "../../src/collections/jobs/slack-collections.ts";
import { runReminders } from "../../src/collections/run-reminders.ts";
import type { Db } from "../../src/db/client.ts";
import { deliveries, reminders, scheduledRuns } from "../../src/db/schema/index.ts";
import { byPayloadType, createSlackSender, fixedBotToken, runDelivery } from "../../src/delivery/index.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { SLACK_API_URL, slackApi } from "../helpers/slack-api.ts";

const INVOICES = 7;
const PAGE = 3;
const api = slackApi();
beforeEach(() => api.reset());
afterAll(() => api.reset());

/** Seven invoices due 2026-11-20: the business policy's first level (due − 3) is heard of on the 16th. */
async function setup() {
  const { db } = await testDatabase();
  const workspace = await createWorkspace(db, { timeZone: "Europe/Paris", settings: { jurisdiction: "FR" } });
  const pm = await createMember(db, workspace.id, { roles: ["pm"] });
  const client = await createClient(db, workspace.id);
  const project = await createProject(db, workspace.id, client.id, {
    pmMemberId: pm.id,
    slackChannelId: "CPAGE",
  });
  const invoices = [];
  for (let n = 0; n < INVOICES; n++) {
    invoices.push(
      await createIssuedInvoice(db, workspace.id, client.id, {
        projectId: project.id,
        dueDate: "2026-11-20",
        totalMinor: 100_000,
        openMinor: 100_000,
      }),
    );
  }
  const clock = fixedClock("2026-11-16T09:00:00Z");
  const deps = serviceDeps(db, clock);
  /** The heads-up DMs claimed: the invoices each one lists. */
  const headsUps = async () =>
    (await db.select().from(deliveries).where(eq(deliveries.workspaceId, workspace.id)))
      .filter((d) => (d.payload as { type: string }).type === "reminder_heads_up")
      .map((d) =>
        (d.payload as { reminders: { invoiceId: string }[] }).reminders.map((r) => r.invoiceId).sort(),
      );
  const claimedReminders = async () =>
    (await db.select().from(reminders).where(eq(reminders.workspaceId, workspace.id))).length;
  const ids = invoices.map((i) => i.id).sort();
  return { db, workspace, pm, clock, deps, headsUps, claimedReminders, ids, invoices };
}

/** The same database, except that its `nth` transaction (a page) never starts: the process died. */
function dyingAt(db: Db, nth: number): Db {
  let transactions = 0;
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "transaction") return Reflect.get(target, property, receiver);
      return (...args: Parameters<Db["transaction"]>) => {
        if (++transactions === nth) return Promise.reject(new Error("the process died"));
        return target.transaction(...args);
      };
    },
  });
}

describe(`the reminder run in pages on ${backend()}`, () => {
  it("over more invoices than one page, the PM gets one heads-up listing every invoice; a second run claims nothing new", async () => {
    const s = await setup();
    const run = () => runReminders(testCtx(s.deps, s.workspace.id), { asOf: "2026-11-16", pageSize: PAGE });
    expect(await run()).toMatchObject({ ran: true, headsUp: INVOICES, headsUpMessages: 1 });
    expect(await s.headsUps()).toEqual([s.ids]);
    expect(s.deps.enqueued).toHaveLength(1);
    expect(await run()).toMatchObject({ ran: true, headsUp: 0, headsUpMessages: 0 });
    expect(await s.headsUps()).toEqual([s.ids]);
    expect(s.deps.enqueued).toHaveLength(1);

    // The PM reads one DM naming the seven invoices, each with the buttons to hold it.
    const sender = createSlackSender({
      db: s.db,
      now: s.clock,
      botToken: fixedBotToken("xoxb-test"),
      apiUrl: SLACK_API_URL,
      channelIntervalMs: 0,
    });
    const slack = byPayloadType(collectionsSlackHandlers(sender, s.db, s.clock));
    expect(await runDelivery(s.db, { slack_dm: slack }, s.deps.enqueued[0]!, silentLogger)).toEqual({
      status: "sent",
    });
    const posts = api.calls("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.body.channel).toBe(s.pm.slackUserId);
    expect(String(posts[0]?.body.text)).toBe(
      "Tomorrow (Nov 17, 2026) 7 reminders go out to clients of your projects.",
    );
    const blocks = JSON.stringify(posts[0]?.body.blocks);
    for (const invoice of s.invoices) expect(blocks).toContain(String(invoice.number));
    expect(blocks.match(/Reminder #1 \(courteous\)/g)).toHaveLength(INVOICES);
  });

  it("a run that dies after its first page keeps that page; the run that takes over finishes the rest and warns once about all", async () => {
    const s = await setup();
    const input = { workspaceId: s.workspace.id, asOf: "2026-11-16", claimRun: true, pageSize: PAGE };
    await expect(
      runReminders(testCtx({ ...s.deps, db: dyingAt(s.db, 2) }, input.workspaceId), input),
    ).rejects.toThrow("the process died");
    expect(await s.claimedReminders()).toBe(PAGE);
    expect(await s.headsUps()).toEqual([]);

    // While the dead run's lease lasts, nobody else runs the day.
    expect(await runReminders(testCtx(s.deps, input.workspaceId), input)).toMatchObject({
      ran: false,
      headsUp: 0,
    });
    await s.db
      .update(scheduledRuns)
      .set({ startedAt: sql`now() - interval '11 minutes'` })
      .where(and(eq(scheduledRuns.workspaceId, s.workspace.id), eq(scheduledRuns.job, "reminders")));

    expect(await runReminders(testCtx(s.deps, input.workspaceId), input)).toMatchObject({
      ran: true,
      headsUp: INVOICES - PAGE,
      headsUpMessages: 1,
    });
    expect(await s.claimedReminders()).toBe(INVOICES);
    expect(await s.headsUps()).toEqual([s.ids]);
    expect(await runReminders(testCtx(s.deps, input.workspaceId), input)).toMatchObject({
      ran: false,
      headsUp: 0,
    });
    expect(await s.headsUps()).toEqual([s.ids]);
  });
});
