// Slack's limits as Cobro keeps them (src/delivery/slack-limits.ts): a 429 holds back only what
// Slack said (one channel's posts, or one method in one workspace), a workspace's posts stay within
// its per-minute budget, and waiting is never counted as a failed attempt.
import { randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries } from "../../src/db/schema/index.ts";
import {
  byPayloadType,
  claimDeliveries,
  createSlackSender,
  type DeliveryHandlers,
  fixedBotToken,
  runDelivery,
} from "../../src/delivery/index.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, silentLogger } from "../helpers/deps.ts";
import { createWorkspace } from "../helpers/factories.ts";
import { SLACK_API_URL, slackApi } from "../helpers/slack-api.ts";

const api = slackApi();

async function setup(options: { workspacePostsPerMinute?: number } = {}) {
  const { db } = await testDatabase();
  const [one, two] = [await createWorkspace(db), await createWorkspace(db)];
  api.reset();
  const clock = fixedClock("2026-11-23T09:00:00Z");
  const sender = createSlackSender({
    db,
    now: clock,
    botToken: fixedBotToken("xoxb-test"),
    apiUrl: SLACK_API_URL,
    channelIntervalMs: 1000,
    ...options,
  });
  const handlers: DeliveryHandlers = {
    slack_message: byPayloadType({
      note: (delivery) => {
        const { channel, text } = delivery.payload as { channel: string; text: string };
        return sender.postMessage(delivery.workspaceId, { channel, text });
      },
      edit: async (delivery) => {
        const { channel, text } = delivery.payload as { channel: string; text: string };
        await sender.updateMessage(delivery.workspaceId, { channel, ts: "1.0001", text });
        return { edited: text };
      },
    }),
  };
  const claim = (workspaceId: string, type: string, channel: string, text: string) =>
    claimDeliveries(db, [
      {
        workspaceId,
        kind: "slack_message",
        dedupeKey: `${type}:${randomUUID()}`,
        payload: { type, channel, text },
      },
    ]).then(([id]) => id!);
  const run = (id: string, slots?: Record<string, number>) =>
    runDelivery(db, handlers, id, silentLogger, slots ? { slots } : {});
  const attempts = async (ids: string[]) =>
    (await db.select().from(deliveries).where(inArray(deliveries.id, ids))).map((row) => row.attempts);
  return { db, one: one.id, two: two.id, clock, claim, run, attempts };
}

describe(`Slack's limits on ${backend()}`, () => {
  it("a burst of 429s in one channel delays only that channel, for Retry-After, without counting as attempts", async () => {
    const { one, clock, claim, run, attempts } = await setup();
    api.respond("chat.postMessage", (call) =>
      call.body.channel === "CBUSY"
        ? api.rateLimited(20)
        : { ok: true, channel: call.body.channel, ts: `${Date.now()}.0001` },
    );
    const busy = await claim(one, "note", "CBUSY", "busy");
    const quiet = await Promise.all(["CQ1", "CQ2", "CQ3"].map((c) => claim(one, "note", c, `quiet ${c}`)));
    const waiting = await run(busy);
    expect(waiting).toMatchObject({ status: "retryLater", delayMs: 20_000 });
    for (const id of quiet) expect(await run(id)).toEqual({ status: "sent" });
    expect(await attempts([busy])).toEqual([0]);

    api.respond("chat.postMessage", (call) => ({ ok: true, channel: call.body.channel, ts: "2.0001" }));
    clock.set("2026-11-23T09:00:20Z");
    expect(await run(busy, (waiting as { slots: Record<string, number> }).slots)).toEqual({ status: "sent" });
    const texts = api.calls("chat.postMessage").map((call) => call.body.text);
    expect(texts).toEqual(["busy", "quiet CQ1", "quiet CQ2", "quiet CQ3", "busy"]);
  });

  it("a 429 on chat.update holds chat.update in that workspace only: posts there and updates elsewhere go on", async () => {
    const { one, two, clock, claim, run, attempts } = await setup();
    let refuse = true;
    api.respond("chat.update", (call) =>
      refuse ? api.rateLimited(45) : { ok: true, channel: call.body.channel, ts: call.body.ts },
    );
    const edit = await claim(one, "edit", "CBILL", "edited");
    expect(await run(edit)).toMatchObject({ status: "retryLater", delayMs: 45_000 });
    refuse = false;
    // Slack is willing again, but said 45 s: another update in that workspace waits its turn too.
    const secondEdit = await claim(one, "edit", "CBILL", "edited again");
    expect(await run(secondEdit)).toMatchObject({ status: "retryLater", delayMs: 45_000 });
    expect(api.calls("chat.update")).toHaveLength(1);
    // chat.postMessage in the same workspace and chat.update in another one are not held.
    expect(await run(await claim(one, "note", "CBILL", "a post"))).toEqual({ status: "sent" });
    expect(await run(await claim(two, "edit", "CBILL", "other workspace"))).toEqual({ status: "sent" });
    expect(await attempts([edit, secondEdit])).toEqual([0, 0]);

    clock.set("2026-11-23T09:00:45Z");
    expect(await run(edit)).toEqual({ status: "sent" });
    expect(api.calls("chat.update").map((call) => call.body.text)).toEqual([
      "edited",
      "other workspace",
      "edited",
    ]);
  });

  it("chat.update keeps to its tier: beyond 50 in a minute, the next waits for its slot", async () => {
    const { one, clock, claim, run } = await setup();
    for (let n = 0; n < 50; n++) {
      expect(await run(await claim(one, "edit", "CBILL", `edit ${n}`))).toEqual({ status: "sent" });
    }
    const late = await claim(one, "edit", "CBILL", "edit 50");
    const outcome = await run(late);
    // Tier 3: 50 a minute, the budget refilling one call every 1.2 s.
    expect(outcome).toMatchObject({ status: "retryLater", delayMs: 1200 });
    expect(api.calls("chat.update")).toHaveLength(50);
    clock.set("2026-11-23T09:00:01.200Z");
    expect(await run(late, (outcome as { slots: Record<string, number> }).slots)).toEqual({ status: "sent" });
  });

  it("a workspace's posts stay within its per-minute budget across channels, each waiting post on its own turn", async () => {
    const { one, two, clock, claim, run, attempts } = await setup({ workspacePostsPerMinute: 6 });
    // Six channels post at once (the burst a minute's budget allows); the seventh and eighth wait
    // 10 s and 20 s (one post every 60 s / 6), though their channels are free.
    for (let n = 0; n < 6; n++)
      expect(await run(await claim(one, "note", `C${n}`, `post ${n}`))).toEqual({ status: "sent" });
    const seventh = await claim(one, "note", "C6", "post 6");
    const eighth = await claim(one, "note", "C7", "post 7");
    const [w7, w8] = [await run(seventh), await run(eighth)];
    expect(w7).toMatchObject({ status: "retryLater", delayMs: 10_000 });
    expect(w8).toMatchObject({ status: "retryLater", delayMs: 20_000 });
    expect(await attempts([seventh, eighth])).toEqual([0, 0]);
    // Another workspace has its own budget.
    expect(await run(await claim(two, "note", "C6", "other workspace"))).toEqual({ status: "sent" });

    clock.set("2026-11-23T09:00:10Z");
    expect(await run(seventh, (w7 as { slots: Record<string, number> }).slots)).toEqual({ status: "sent" });
    clock.set("2026-11-23T09:00:20Z");
    expect(await run(eighth, (w8 as { slots: Record<string, number> }).slots)).toEqual({ status: "sent" });
    expect(api.calls("chat.postMessage")).toHaveLength(9);
  });
});
