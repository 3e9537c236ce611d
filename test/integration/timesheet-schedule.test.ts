import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { timeEntries, timesheets } from "../../src/db/schema/index.ts";
import { approveTimesheets } from "../../src/timesheets/approve-timesheets.ts";
import { runTimesheetJobs } from "../../src/timesheets/run-timesheet-jobs.ts";
import { submitTimesheet } from "../../src/timesheets/submit-timesheet.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, testCtx } from "../helpers/deps.ts";
import { entry, logEntries, timesheetWorld } from "../helpers/timesheets.ts";

describe(`scheduled timesheet jobs on ${backend()}`, () => {
  it("bills approved time once per month, on the first tick of the month, whatever the number of ticks", async () => {
    const { db } = await testDatabase();
    const world = await timesheetWorld(db);
    await logEntries(db, world.workspace.id, [
      entry({ workDate: "2026-11-02", minutes: 450 }),
      entry({ workDate: "2026-11-03", minutes: 60, projectCode: "ORION" }),
    ]);
    const clock = fixedClock("2026-11-30T10:00:00Z");
    const deps = serviceDeps(db, clock);
    for (const sheet of await db
      .select()
      .from(timesheets)
      .where(eq(timesheets.workspaceId, world.workspace.id))) {
      await submitTimesheet(testCtx(deps, world.workspace.id, world.actorOf(world.ada)), {
        timesheetId: sheet.id,
      });
    }
    const submitted = await db
      .select()
      .from(timesheets)
      .where(eq(timesheets.workspaceId, world.workspace.id));
    await approveTimesheets(testCtx(deps, world.workspace.id, world.actorOf(world.approver)), {
      timesheets: submitted.map((s) => ({ id: s.id, version: s.version })),
    });

    // 30 Nov: November's run (named 1 Nov) happens, but November is not over: nothing to bill yet.
    expect(await runTimesheetJobs(testCtx(deps, world.workspace.id))).toMatchObject({
      draftsBilled: 0,
    });
    // 1 Dec in Madrid (23:30 UTC on 30 Nov): December's run bills November, once.
    clock.set("2026-11-30T23:30:00Z");
    const first = await runTimesheetJobs(testCtx(deps, world.workspace.id));
    const again = await runTimesheetJobs(testCtx(deps, world.workspace.id));
    clock.set("2026-12-02T09:00:00Z");
    const nextDay = await runTimesheetJobs(testCtx(deps, world.workspace.id));
    expect(first.draftsBilled).toBe(2);
    expect(again).toEqual({ approvalReminders: null, draftsBilled: null });
    expect(nextDay.draftsBilled).toBeNull();
    expect(nextDay.approvalReminders).not.toBeNull();
    const entries = await db
      .select()
      .from(timeEntries)
      .where(eq(timeEntries.workspaceId, world.workspace.id));
    expect(entries.every((e) => e.invoiceId !== null)).toBe(true);
  });
});
