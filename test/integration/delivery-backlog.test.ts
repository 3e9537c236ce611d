// What waits and what failed, as admins see it in the App Home (and `cobro doctor` prints): the
// number of deliveries waiting, the oldest one's age, and failures with the reason Slack gave.
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliveries } from "../../src/db/schema/index.ts";
import { describeDeliveryBacklog } from "../../src/delivery/describe-delivery-backlog.ts";
import {
  byPayloadType,
  claimDeliveries,
  createSlackSender,
  fixedBotToken,
  runDelivery,
} from "../../src/delivery/index.ts";
import { loadDeliveryBacklog } from "../../src/delivery/load-delivery-backlog.ts";
import { loadHome } from "../../src/home/load-home.ts";
import { buildHomeView } from "../../src/home/slack/home-view.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createWorkspace } from "../helpers/factories.ts";
import { SLACK_API_URL, slackApi } from "../helpers/slack-api.ts";

const api = slackApi();

describe(`the delivery backlog on ${backend()}`, () => {
  it("admins see how many deliveries wait, the oldest's age, and a failure with Slack's reason", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    api.reset();
    api.respond("chat.postMessage", () => ({ ok: false, error: "is_archived" }));
    const sender = createSlackSender({
      db,
      now: () => new Date(),
      botToken: fixedBotToken("xoxb-test"),
      apiUrl: SLACK_API_URL,
    });
    const handlers = {
      slack_message: byPayloadType({
        note: (delivery) => sender.postMessage(delivery.workspaceId, { channel: "COLD", text: "hello" }),
      }),
    };
    const ids = await claimDeliveries(
      db,
      [0, 1, 2, 3].map((n) => ({
        workspaceId: workspace.id,
        kind: "slack_message" as const,
        dedupeKey: `note:${randomUUID()}:${n}`,
        payload: { type: "note" },
      })),
    );
    // Three wait, the oldest since 25 minutes ago; the fourth goes to an archived channel.
    await db
      .update(deliveries)
      .set({ createdAt: sql`now() - interval '25 minutes'` })
      .where(eq(deliveries.id, ids[0]!));
    expect(await runDelivery(db, handlers, ids[3]!, silentLogger)).toMatchObject({ status: "failed" });

    const lines = describeDeliveryBacklog(
      await loadDeliveryBacklog(db, { workspaceId: workspace.id }),
      new Date(),
    );
    expect(lines).toEqual([
      "3 waiting, the oldest for 25 min",
      "failed in the last 7 days: 1 × Slack: the channel is archived: pick another one in /cobro setup.",
    ]);

    const home = async (roles: ("admin" | "billing")[]) => {
      const data = await loadHome(
        testCtx(serviceDeps(db, fixedClock(new Date().toISOString())), workspace.id, {
          kind: "member",
          memberId: randomUUID(),
          slackUserId: "U1",
          roles,
        }),
        {},
      );
      return JSON.stringify(buildHomeView({ ...data, roles, isAdmin: roles.includes("admin") }).blocks);
    };
    const admin = await home(["admin"]);
    expect(admin).toContain("Deliveries");
    expect(admin).toContain("3 waiting, the oldest for 25 min");
    expect(admin).toContain("the channel is archived");
    expect(await home(["billing"])).not.toContain("waiting, the oldest");
  });
});
