// slack_events_seen is pruned by the daily scheduler: event ids older than a few days go, recent ones
// stay (Slack may still retry them), and however many instances run it, a workspace's day runs once.
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { scheduledRuns, slackEventsSeen } from "../../src/db/schema/index.ts";
import { runSchedulerTick } from "../../src/scheduler.ts";
import { pruneSlackEvents, SLACK_EVENTS_PRUNE_JOB } from "../../src/workspace/prune-slack-events.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, testCtx } from "../helpers/deps.ts";
import { createWorkspace } from "../helpers/factories.ts";

const DAY = 24 * 60 * 60 * 1000;

describe(`pruning slack_events_seen on ${backend()}`, () => {
  it("deletes event ids older than 3 days, keeps recent ones, claimed once per workspace and day", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db, { timeZone: "UTC" });
    const other = await createWorkspace(db, { timeZone: "UTC" });
    const now = new Date("2031-03-10T06:00:00Z");
    const ids = { old: `EvOLD${now.getTime()}`, recent: `EvNEW${now.getTime()}` };
    await db.insert(slackEventsSeen).values([
      { eventId: ids.old, seenAt: new Date(now.getTime() - 4 * DAY) },
      { eventId: ids.recent, seenAt: new Date(now.getTime() - 2 * DAY) },
    ]);
    const kept = async () =>
      (
        await db
          .select({ id: slackEventsSeen.eventId })
          .from(slackEventsSeen)
          .where(inArray(slackEventsSeen.eventId, [ids.old, ids.recent]))
      ).map((r) => r.id);

    const claimsOn = (date: string) =>
      db
        .select()
        .from(scheduledRuns)
        .where(and(eq(scheduledRuns.job, SLACK_EVENTS_PRUNE_JOB), eq(scheduledRuns.runDate, date)));

    const deps = serviceDeps(db, fixedClock(now.toISOString()));
    await Promise.all([
      pruneSlackEvents(testCtx(deps, workspace.id), {}),
      pruneSlackEvents(testCtx(deps, workspace.id), {}),
      pruneSlackEvents(testCtx(deps, workspace.id), {}),
    ]);
    expect(await kept()).toEqual([ids.recent]);
    const claims = await claimsOn("2031-03-10");
    expect(claims.map((c) => c.workspaceId)).toEqual([workspace.id]);
    expect(claims[0]?.summary).toMatchObject({ deleted: expect.any(Number) });

    // Later the same day nothing runs; the next day, from the workspace's scan hour (08:00), the
    // scheduler prunes the then 3-day-old id.
    expect(
      await pruneSlackEvents(testCtx(serviceDeps(db, fixedClock("2031-03-10T23:00:00Z")), workspace.id), {}),
    ).toEqual({
      ran: false,
      deleted: 0,
    });
    await runSchedulerTick(serviceDeps(db, fixedClock("2031-03-11T09:00:00Z")), {
      workspaceIds: [workspace.id, other.id],
    });
    expect(await kept()).toEqual([]);
    const nextDay = (await claimsOn("2031-03-11")).map((c) => c.workspaceId);
    expect(nextDay).toEqual(expect.arrayContaining([workspace.id, other.id]));
  });
});
