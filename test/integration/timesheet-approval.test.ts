import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { deliveries, projects, timesheetHistory, timesheets } from "../../src/db/schema/index.ts";
import { approveTimesheet } from "../../src/timesheets/approve-timesheet.ts";
import { approveTimesheets } from "../../src/timesheets/approve-timesheets.ts";
import { recordTimeEntries } from "../../src/timesheets/record-time-entries.ts";
import { rejectTimesheet } from "../../src/timesheets/reject-timesheet.ts";
import { submitTimesheet } from "../../src/timesheets/submit-timesheet.ts";
import { secondConnection, testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { createMember } from "../helpers/factories.ts";
import { entry, logEntries, timesheetWorld } from "../helpers/timesheets.ts";

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});

async function submittedWeek() {
  const world = await timesheetWorld(database.db);
  await logEntries(database.db, world.workspace.id, [
    entry(),
    entry({ workDate: "2026-11-17", minutes: 90 }),
  ]);
  const [sheet] = await database.db
    .select()
    .from(timesheets)
    .where(eq(timesheets.workspaceId, world.workspace.id));
  const deps = serviceDeps(database.db);
  const submitted = await submitTimesheet(testCtx(deps, world.workspace.id, world.actorOf(world.ada)), {
    timesheetId: sheet!.id,
  });
  return { world, sheetId: sheet!.id, version: submitted.version, deps };
}

const history = (timesheetId: string) =>
  database.db
    .select()
    .from(timesheetHistory)
    .where(eq(timesheetHistory.timesheetId, timesheetId))
    .orderBy(timesheetHistory.version);

describe("timesheet approval", () => {
  it("submit sends the approver (the PM) one DM with the request; approval locks the entries", async () => {
    const { world, sheetId, version, deps } = await submittedWeek();
    const dms = await database.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.workspaceId, world.workspace.id));
    expect(dms).toHaveLength(1);
    expect(dms[0]).toMatchObject({
      kind: "slack_dm",
      payload: { type: "timesheet_approval_request", approverMemberId: world.approver.id },
    });
    expect(deps.enqueued).toEqual([dms[0]!.id]);

    const approved = await approveTimesheet(
      testCtx(deps, world.workspace.id, world.actorOf(world.approver)),
      {
        timesheetId: sheetId,
        expectedVersion: version,
      },
    );
    expect(approved).toMatchObject({ status: "approved", alreadyDone: false });

    const edit = await recordTimeEntries(testCtx(deps, world.workspace.id), {
      entries: [entry({ workDate: "2026-11-18" })],
    });
    expect(edit.errors[0]?.message).toContain("approved");
    expect((await history(sheetId)).map((h) => `${h.fromStatus}>${h.toStatus}`)).toEqual([
      "open>submitted",
      "submitted>approved",
    ]);
  });

  it("a double click approves once and says it was already approved", async () => {
    const { world, sheetId, version, deps } = await submittedWeek();
    const input = { timesheetId: sheetId, expectedVersion: version };
    const ctx = testCtx(deps, world.workspace.id, world.actorOf(world.approver));
    const [first, second] = await Promise.all([approveTimesheet(ctx, input), approveTimesheet(ctx, input)]);
    expect([first.alreadyDone, second.alreadyDone].sort()).toEqual([false, true]);
    const again = await approveTimesheet(ctx, input);
    expect(again).toMatchObject({ alreadyDone: true, message: expect.stringContaining("already approved") });
    expect(await history(sheetId)).toHaveLength(2);
    const decisions = await database.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.workspaceId, world.workspace.id));
    expect(
      decisions.filter((d) => (d.payload as { type: string }).type === "timesheet_decision"),
    ).toHaveLength(1);
  });

  it("concurrent approve and reject: one wins, the other is told it is already decided", async () => {
    const { world, sheetId, version, deps } = await submittedWeek();
    const other = secondConnection();
    const otherDeps = other ? serviceDeps(other.db) : deps;
    try {
      const base = { timesheetId: sheetId, expectedVersion: version };
      const approver = world.actorOf(world.approver);
      const results = await Promise.allSettled([
        approveTimesheet(testCtx(deps, world.workspace.id, approver), base),
        rejectTimesheet(testCtx(otherDeps, world.workspace.id, approver), {
          ...base,
          reason: "Tuesday is wrong",
        }),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      const [sheet] = await database.db.select().from(timesheets).where(eq(timesheets.id, sheetId));
      const message = (lost[0] as PromiseRejectedResult).reason.userMessage as string;
      expect(message).toMatch(new RegExp(`already ${sheet!.status}`));
      expect(await history(sheetId)).toHaveLength(2);
    } finally {
      await other?.close();
    }
  });

  it("reject needs a reason, goes back to the person, who corrects and resubmits", async () => {
    const { world, sheetId, version, deps } = await submittedWeek();
    const base = { timesheetId: sheetId };
    const approver = testCtx(deps, world.workspace.id, world.actorOf(world.approver));
    await expect(
      rejectTimesheet(approver, { ...base, reason: " ", expectedVersion: version }),
    ).rejects.toMatchObject({
      code: "timesheet.reason_required",
    });
    const rejected = await rejectTimesheet(approver, {
      ...base,
      reason: "Tuesday is 1 h too long",
      expectedVersion: version,
    });
    expect(rejected.status).toBe("rejected");
    const dms = await database.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.workspaceId, world.workspace.id));
    expect(
      dms.find((d) => (d.payload as { type: string }).type === "timesheet_decision")?.payload,
    ).toMatchObject({
      decision: "rejected",
      reason: "Tuesday is 1 h too long",
      personMemberId: world.ada.id,
    });
    // The person corrects the entry (now editable again) and resubmits.
    const fix = await recordTimeEntries(testCtx(deps, world.workspace.id), {
      entries: [entry({ workDate: "2026-11-17", minutes: 30 })],
    });
    expect(fix.errors).toEqual([]);
    const resubmitted = await submitTimesheet(testCtx(deps, world.workspace.id, world.actorOf(world.ada)), {
      timesheetId: sheetId,
    });
    expect(resubmitted.status).toBe("submitted");
    // The old request's button is stale now.
    await expect(approveTimesheet(approver, { ...base, expectedVersion: version })).rejects.toMatchObject({
      code: "timesheet.changed",
    });
    await approveTimesheet(approver, { ...base, expectedVersion: resubmitted.version });
    expect((await history(sheetId)).map((h) => h.toStatus)).toEqual([
      "submitted",
      "rejected",
      "submitted",
      "approved",
    ]);
  });

  it("refuses someone who is not the project's approver, and the person approving their own week", async () => {
    const { world, sheetId, version, deps } = await submittedWeek();
    const base = { timesheetId: sheetId, expectedVersion: version };
    const as = (m: Parameters<typeof world.actorOf>[0]) =>
      testCtx(deps, world.workspace.id, world.actorOf(m));
    await expect(approveTimesheet(as(world.outsider), base)).rejects.toMatchObject({
      code: "permission.denied",
      userMessage: expect.stringContaining("Only the approver of ATLAS"),
    });
    // An explicit approver replaces the PM; a member with the approver role but not this project's is refused.
    const roleOnly = await createMember(database.db, world.workspace.id, { roles: ["approver"] });
    await database.db
      .update(projects)
      .set({ approverMemberId: world.grace.id })
      .where(eq(projects.id, world.atlas.id));
    await expect(approveTimesheet(as(roleOnly), base)).rejects.toMatchObject({
      code: "permission.denied",
    });
    await expect(approveTimesheet(as(world.approver), base)).rejects.toMatchObject({
      code: "permission.denied",
    });
    // The actor's e-mail is the member's own (the ctx carries no e-mail to claim): Ada herself.
    await expect(approveTimesheet(as(world.ada), base)).rejects.toMatchObject({
      userMessage: "You cannot approve or reject your own timesheet.",
    });
    const ok = await approveTimesheet(as(world.grace), base);
    expect(ok.status).toBe("approved");
  });

  it("cannot submit an empty week nor someone else's", async () => {
    const world = await timesheetWorld(database.db);
    await logEntries(database.db, world.workspace.id, [entry()]);
    const [sheet] = await database.db
      .select()
      .from(timesheets)
      .where(eq(timesheets.workspaceId, world.workspace.id));
    await expect(
      submitTimesheet(testCtx(serviceDeps(database.db), world.workspace.id, world.actorOf(world.grace)), {
        timesheetId: sheet!.id,
      }),
    ).rejects.toMatchObject({ code: "permission.denied" });
  });

  it("bulk approval approves what the approver may decide and explains the rest", async () => {
    const world = await timesheetWorld(database.db);
    await logEntries(database.db, world.workspace.id, [
      entry(),
      entry({ personEmail: "grace@acme.example", personName: "Grace Hopper" }),
      entry({ workDate: "2026-11-23" }),
    ]);
    const sheets = await database.db
      .select()
      .from(timesheets)
      .where(eq(timesheets.workspaceId, world.workspace.id));
    const deps = serviceDeps(database.db);
    const a = sheets.find((s) => s.personEmail === "ada@acme.example" && s.periodStart === "2026-11-16");
    const b = sheets.find((s) => s.personEmail === "grace@acme.example");
    const open = sheets.find((s) => s.periodStart === "2026-11-23");
    for (const s of [a!, b!]) {
      const who = s.personEmail === "ada@acme.example" ? world.ada : world.grace;
      await submitTimesheet(testCtx(deps, world.workspace.id, world.actorOf(who)), { timesheetId: s.id });
    }
    const fresh = await database.db
      .select()
      .from(timesheets)
      .where(eq(timesheets.workspaceId, world.workspace.id));
    const version = (id: string) => fresh.find((s) => s.id === id)!.version;
    const approver = testCtx(deps, world.workspace.id, world.actorOf(world.approver));
    const result = await approveTimesheets(approver, {
      timesheets: [a!, b!, open!].map((s) => ({ id: s.id, version: version(s.id) })),
    });
    expect(result.approved.sort()).toEqual([a!.id, b!.id].sort());
    expect(result.skipped).toEqual([{ timesheetId: open!.id, reason: { kind: "already", status: "open" } }]);
    const twice = await approveTimesheets(approver, {
      timesheets: [a!].map((s) => ({ id: s.id, version: version(s.id) })),
    });
    expect(twice).toEqual({
      approved: [],
      skipped: [{ timesheetId: a!.id, reason: { kind: "already", status: "approved" } }],
    });
  });
});
