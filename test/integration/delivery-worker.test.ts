// The delivery worker at the pace the providers allow: several deliveries at once (bounded), work
// claimed here taken at once, claims of other processes queued by the sweeper, and per-channel
// pacing that gives waiting posts their own slots without holding other channels or counting as
// failed attempts.
import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { deliveries } from "../../src/db/schema/index.ts";
import {
  byPayloadType,
  claimDeliveries,
  createSlackSender,
  type DeliveryHandlers,
  enqueueDeliveries,
  findStalledDeliveries,
  fixedBotToken,
  runDelivery,
  startDeliveryWorker,
} from "../../src/delivery/index.ts";
import { startQueue } from "../../src/delivery/queue.ts";
import { backend, secondConnection, testDatabase } from "../helpers/db.ts";
import { fixedClock, silentLogger } from "../helpers/deps.ts";
import { createWorkspace } from "../helpers/factories.ts";
import { SLACK_API_URL, slackApi } from "../helpers/slack-api.ts";

const api = slackApi();

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe(`the delivery worker on ${backend()}`, () => {
  // The worker's database (migrated once) is ready before the first test's own timeout starts.
  beforeAll(async () => {
    await testDatabase();
  });

  it("sends up to its concurrency at once, never more, and starts on work claimed here without waiting for its poll", async () => {
    const database = await testDatabase();
    const { db } = database;
    const workspace = await createWorkspace(db);
    // A poll so slow that only the wake-up on enqueue can explain a prompt start.
    const queue = await startQueue(database, silentLogger, { pollingIntervalSeconds: 60, supervise: false });
    let inFlight = 0;
    let most = 0;
    const handlers: DeliveryHandlers = {
      email: byPayloadType({
        slow_mail: async () => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 150));
          inFlight--;
          return { provider: "stand-in" };
        },
      }),
    };
    try {
      await startDeliveryWorker(queue, db, handlers, silentLogger, { concurrency: 3 });
      // Let the worker's first (empty) poll pass: from now on it sleeps for a minute.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const ids = await claimDeliveries(
        db,
        Array.from({ length: 7 }, (_, n) => ({
          workspaceId: workspace.id,
          kind: "email" as const,
          dedupeKey: `slow-mail:${randomUUID()}:${n}`,
          payload: { type: "slow_mail" },
        })),
      );
      await enqueueDeliveries(db, queue, ids);
      await waitFor(async () => {
        const rows = await db.select().from(deliveries).where(inArray(deliveries.id, ids));
        return rows.every((row) => row.status === "sent");
      }, "all seven e-mails sent before the worker's next poll");
      expect(most).toBe(3);
    } finally {
      await queue.stop();
    }
  }, 60_000);

  it("e-mails never wait behind Slack posts: they have their own places", async () => {
    const database = await testDatabase();
    const { db } = database;
    const workspace = await createWorkspace(db);
    const queue = await startQueue(database, silentLogger, { pollingIntervalSeconds: 60, supervise: false });
    let releaseSlack: () => void = () => {};
    const slackStuck = new Promise<void>((resolve) => {
      releaseSlack = resolve;
    });
    const handlers: DeliveryHandlers = {
      slack_message: byPayloadType({
        stuck_post: async () => {
          await slackStuck;
          return { ts: "1.0001" };
        },
      }),
      email: byPayloadType({ mail: async () => ({ provider: "stand-in" }) }),
    };
    try {
      await startDeliveryWorker(queue, db, handlers, silentLogger, { concurrency: 2 });
      const claim = (kind: "slack_message" | "email", type: string, n: number) => ({
        workspaceId: workspace.id,
        kind,
        dedupeKey: `${type}:${randomUUID()}:${n}`,
        payload: { type },
      });
      // Slack posts claimed first fill every Slack place, and stay there.
      const posts = await claimDeliveries(
        db,
        [0, 1, 2, 3].map((n) => claim("slack_message", "stuck_post", n)),
      );
      const mails = await claimDeliveries(
        db,
        [0, 1, 2].map((n) => claim("email", "mail", n)),
      );
      await enqueueDeliveries(db, queue, [...posts, ...mails]);
      await waitFor(async () => {
        const rows = await db.select().from(deliveries).where(inArray(deliveries.id, mails));
        return rows.every((row) => row.status === "sent");
      }, "the e-mails sent while every Slack place is taken");
      const stuck = await db.select().from(deliveries).where(inArray(deliveries.id, posts));
      expect(stuck.every((row) => row.status === "pending")).toBe(true);
    } finally {
      releaseSlack();
      await queue.stop();
    }
  }, 60_000);

  it("a post waiting for its channel's slot gets its own turn, holds back no other channel, and is not a failed attempt", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    api.reset();
    const clock = fixedClock("2026-11-23T09:00:00Z");
    const sender = createSlackSender({
      db,
      now: clock,
      botToken: fixedBotToken("xoxb-test"),
      apiUrl: SLACK_API_URL,
      channelIntervalMs: 1000,
    });
    const handlers: DeliveryHandlers = {
      slack_message: byPayloadType({
        note: (delivery) => {
          const { channel, text } = delivery.payload as { channel: string; text: string };
          return sender.postMessage(delivery.workspaceId, { channel, text });
        },
      }),
    };
    const claim = (channel: string, text: string) => ({
      workspaceId: workspace.id,
      kind: "slack_message" as const,
      dedupeKey: `note:${randomUUID()}`,
      payload: { type: "note", channel, text },
    });
    const [a0, a1, a2, a3, b1] = await claimDeliveries(db, [
      claim("CBUSY", "a0"),
      claim("CBUSY", "a1"),
      claim("CBUSY", "a2"),
      claim("CBUSY", "a3"),
      claim("CQUIET", "b1"),
    ]);
    const run = (id: string, slots?: Record<string, number>) =>
      runDelivery(db, handlers, id, silentLogger, slots ? { slots } : {});

    // Slack's short burst (CHANNEL_BURST_POSTS = 2): two posts at once, then one a second.
    expect(await run(a0!)).toEqual({ status: "sent" });
    expect(await run(a1!)).toEqual({ status: "sent" });
    const second = await run(a2!);
    const third = await run(a3!);
    expect(await run(b1!)).toEqual({ status: "sent" });
    // Rescheduled for exactly their slots, one second apart, in the order they asked.
    expect(second).toMatchObject({ status: "retryLater", delayMs: 1000 });
    expect(third).toMatchObject({ status: "retryLater", delayMs: 2000 });
    const waiting = await db
      .select()
      .from(deliveries)
      .where(inArray(deliveries.id, [a2!, a3!]));
    expect(waiting.map((row) => [row.status, row.attempts])).toEqual([
      ["pending", 0],
      ["pending", 0],
    ]);

    clock.set("2026-11-23T09:00:01Z");
    expect(await run(a2!, (second as { slots: Record<string, number> }).slots)).toEqual({ status: "sent" });
    clock.set("2026-11-23T09:00:02Z");
    expect(await run(a3!, (third as { slots: Record<string, number> }).slots)).toEqual({ status: "sent" });
    expect(api.calls("chat.postMessage").map((call) => call.body.text)).toEqual([
      "a0",
      "a1",
      "b1",
      "a2",
      "a3",
    ]);
    const [done] = await db.select().from(deliveries).where(eq(deliveries.id, a3!));
    expect(done?.attempts).toBe(1);
  });

  it("two instances on one database share the posts, each sent once", async () => {
    const database = await testDatabase();
    const other = secondConnection() ?? database;
    const { db } = database;
    const workspace = await createWorkspace(db);
    api.reset();
    const intervalMs = 200;
    const instance = async (on: typeof database) => {
      const queue = await startQueue(on, silentLogger, { pollingIntervalSeconds: 0.5, supervise: false });
      const sender = createSlackSender({
        db: on.db,
        now: () => new Date(),
        botToken: fixedBotToken("xoxb-test"),
        apiUrl: SLACK_API_URL,
        channelIntervalMs: intervalMs,
      });
      const handlers: DeliveryHandlers = {
        slack_message: byPayloadType({
          note: (delivery) => {
            const { channel, text } = delivery.payload as { channel: string; text: string };
            return sender.postMessage(delivery.workspaceId, { channel, text });
          },
        }),
      };
      await startDeliveryWorker(queue, on.db, handlers, silentLogger, { concurrency: 4 });
      return queue;
    };
    const queues = [await instance(database), await instance(other)];
    try {
      const ids = await claimDeliveries(
        db,
        Array.from({ length: 24 }, (_, n) => ({
          workspaceId: workspace.id,
          kind: "slack_message" as const,
          dedupeKey: `shared:${randomUUID()}`,
          payload: { type: "note", channel: `CSHARED${n % 3}`, text: `note ${n}` },
        })),
      );
      // Half the claims are queued by each instance, as two `serve` processes would.
      await enqueueDeliveries(db, queues[0]!, ids.slice(0, 12));
      await enqueueDeliveries(other.db, queues[1]!, ids.slice(12));
      await waitFor(
        async () => {
          const rows = await db.select().from(deliveries).where(inArray(deliveries.id, ids));
          return rows.every((row) => row.status === "sent");
        },
        "all 24 posts sent",
        45_000,
      );
      const texts = api.calls("chat.postMessage").map((call) => call.body.text);
      expect([...texts].sort()).toEqual(Array.from({ length: 24 }, (_, n) => `note ${n}`).sort());
    } finally {
      for (const queue of queues) await queue.stop();
      if (other !== database) await other.close();
    }
  }, 90_000);

  it("a delivery that posts twice in one place posts twice (each post is its own write-ahead row)", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    api.reset();
    const sender = createSlackSender({
      db,
      now: () => new Date(),
      botToken: fixedBotToken("xoxb-test"),
      apiUrl: SLACK_API_URL,
      channelIntervalMs: 0,
    });
    const handlers: DeliveryHandlers = {
      slack_message: byPayloadType({
        pair: async (delivery) => {
          await sender.postMessage(delivery.workspaceId, { channel: "CPAIR", text: "first" });
          return sender.postMessage(delivery.workspaceId, { channel: "CPAIR", text: "second" });
        },
      }),
    };
    const [id] = await claimDeliveries(db, [
      {
        workspaceId: workspace.id,
        kind: "slack_message",
        dedupeKey: `pair:${randomUUID()}`,
        payload: { type: "pair" },
      },
    ]);
    expect(await runDelivery(db, handlers, id!, silentLogger)).toEqual({ status: "sent" });
    expect(await runDelivery(db, handlers, id!, silentLogger)).toEqual({ status: "alreadyDone" });
    const calls = api.calls("chat.postMessage");
    expect(calls.map((call) => call.body.text)).toEqual(["first", "second"]);
    expect(
      calls.map(
        (call) => (call.body.metadata as { event_payload: { send_key: string } }).event_payload.send_key,
      ),
    ).toEqual(["slack:CPAIR:", "slack:CPAIR:#2"]);
  });

  it("queues within seconds what another process claimed (cobro run), and jobs lost on the way", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const ids = await claimDeliveries(
      db,
      ["cli", "queued", "lost"].map((name) => ({
        workspaceId: workspace.id,
        kind: "email" as const,
        dedupeKey: `${name}:${randomUUID()}`,
        payload: {},
      })),
    );
    const [cli, queued, lost] = ids;
    await db
      .update(deliveries)
      .set({ createdAt: sql`now() - interval '3 seconds'` })
      .where(inArray(deliveries.id, ids));
    await db.update(deliveries).set({ nextRunAt: sql`now()` }).where(eq(deliveries.id, queued!));
    await db
      .update(deliveries)
      .set({ nextRunAt: sql`now() - interval '3 minutes'` })
      .where(eq(deliveries.id, lost!));
    const found = await findStalledDeliveries(db, { unqueuedSeconds: 2, stalledSeconds: 120 }, 10_000);
    expect(found).toContain(cli);
    expect(found).toContain(lost);
    expect(found).not.toContain(queued);
  });
});
