import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { timeEntries, timesheets } from "../../src/db/schema/index.ts";
import { importTimeEntries } from "../../src/imports/import-time-entries.ts";
import { testDatabase } from "../helpers/db.ts";
import { serviceDeps, testCtx } from "../helpers/deps.ts";
import { timesheetWorld } from "../helpers/timesheets.ts";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/time/${name}`, import.meta.url));

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});

async function entriesOf(workspaceId: string) {
  return database.db
    .select()
    .from(timeEntries)
    .where(eq(timeEntries.workspaceId, workspaceId))
    .orderBy(timeEntries.workDate, timeEntries.minutes);
}

describe("cobro import time-entries", () => {
  it.each([
    ["cobro.csv", "cobro", 3, [45, 135, 450]],
    ["harvest.csv", "harvest", 3, [90, 195, 195]],
    ["toggl.csv", "toggl", 3, [15, 76, 90]],
    ["clockify.csv", "clockify", 2, [1, 210]],
  ] as const)(
    "reads %s as a %s export, and importing it again changes nothing",
    async (file, format, count, minutes) => {
      const world = await timesheetWorld(database.db);
      const deps = serviceDeps(database.db);
      const first = await importTimeEntries(testCtx(deps, world.workspace.id), { csv: fixture(file) });
      expect(first.errors).toEqual([]);
      expect(first).toMatchObject({ format, created: count, unchanged: 0 });
      const rows = await entriesOf(world.workspace.id);
      expect(rows.map((r) => r.minutes).sort((a, b) => a - b)).toEqual(minutes);
      expect(new Set(rows.map((r) => r.projectId))).toEqual(new Set([world.atlas.id, world.orion.id]));
      for (const row of rows) expect(row.timesheetId).not.toBeNull();

      const again = await importTimeEntries(testCtx(deps, world.workspace.id), { csv: fixture(file) });
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: count, errors: [] });
      expect(await entriesOf(world.workspace.id)).toHaveLength(count);
    },
  );

  it("matches a Toggl export without e-mails by exact name, and names the line of someone unknown", async () => {
    const world = await timesheetWorld(database.db);
    const deps = serviceDeps(database.db);
    const withoutEmails = (extra: string) =>
      `User,Project,Start date,Start time,Duration,Description\nAda Lovelace,Atlas redesign,2026-11-16,09:00:00,01:30:00,Wireframes\n${extra}`;
    const unknown = await importTimeEntries(testCtx(deps, world.workspace.id), {
      csv: withoutEmails("Alan Turing,Atlas redesign,2026-11-16,11:00:00,00:30:00,Review\n"),
    });
    expect(unknown.errors).toEqual([
      {
        line: 3,
        column: "user",
        message:
          'no member named "Alan Turing" with an e-mail: add a line for them (e-mail and this exact name) with `cobro import people` first',
      },
    ]);
    expect(await entriesOf(world.workspace.id)).toHaveLength(0);

    const known = await importTimeEntries(testCtx(deps, world.workspace.id), { csv: withoutEmails("") });
    expect(known).toMatchObject({ format: "toggl", created: 1, errors: [] });
    expect((await entriesOf(world.workspace.id))[0]).toMatchObject({
      personEmail: "ada@acme.example",
      minutes: 90,
    });
  });

  it("maps people, dates and billable flags as the tools write them", async () => {
    const world = await timesheetWorld(database.db);
    await importTimeEntries(testCtx(serviceDeps(database.db), world.workspace.id), {
      csv: fixture("harvest.csv"),
    });
    const rows = await entriesOf(world.workspace.id);
    const grace = rows.find((r) => r.personEmail === "grace@acme.example");
    expect(grace).toMatchObject({
      workDate: "2026-11-17",
      minutes: 90,
      projectId: world.orion.id,
      billable: true,
      source: "harvest",
    });
    const sheets = await database.db
      .select()
      .from(timesheets)
      .where(eq(timesheets.workspaceId, world.workspace.id));
    expect(sheets.map((s) => s.periodStart)).toEqual(["2026-11-16", "2026-11-16"]);
  });

  it("reports every bad row with line and column and imports nothing", async () => {
    const world = await timesheetWorld(database.db);
    const csv = [
      "external_id,project_code,person_email,date,hours,billable",
      "a1,ATLAS,ada@acme.example,2026-11-16,2,yes",
      "a2,NOPE,ada@acme.example,2026-11-16,2,yes",
      "a3,ATLAS,not-an-email,2026-02-30,lots,maybe",
      "a1,ATLAS,ada@acme.example,2026-11-17,1,yes",
    ].join("\n");
    const result = await importTimeEntries(testCtx(serviceDeps(database.db), world.workspace.id), { csv });
    expect(result.created).toBe(0);
    expect(result.errors).toEqual(
      expect.arrayContaining([
        { line: 4, column: "person_email", message: "is not an e-mail address" },
        { line: 4, column: "date", message: expect.stringContaining("is not a date") },
        { line: 4, column: "hours", message: expect.stringContaining("is not a duration") },
        { line: 4, column: "billable", message: "must be Yes or No" },
        { line: 5, column: "external_id", message: "repeats line 2" },
      ]),
    );
    expect(await entriesOf(world.workspace.id)).toHaveLength(0);

    const unknownProject = await importTimeEntries(testCtx(serviceDeps(database.db), world.workspace.id), {
      csv: "external_id,project_code,person_email,date,hours\na1,ATLAS,ada@acme.example,2026-11-16,2\na2,NOPE,ada@acme.example,2026-11-16,2\n",
    });
    expect(unknownProject.errors).toEqual([
      { line: 3, column: "project_code", message: 'no project has the code "NOPE"' },
    ]);
    expect(await entriesOf(world.workspace.id)).toHaveLength(0);
  });

  it("says which columns it expected when the file is from an unknown tool", async () => {
    const world = await timesheetWorld(database.db);
    const result = await importTimeEntries(testCtx(serviceDeps(database.db), world.workspace.id), {
      csv: "when,who,how long\n2026-11-16,ada,2\n",
    });
    expect(result.errors[0]).toMatchObject({ line: 1, column: "header" });
    expect(result.errors[0]?.message).toContain("harvest");
  });

  it("a dry run validates and writes nothing", async () => {
    const world = await timesheetWorld(database.db);
    const result = await importTimeEntries(testCtx(serviceDeps(database.db), world.workspace.id), {
      csv: fixture("toggl.csv"),
      dryRun: true,
    });
    expect(result).toMatchObject({ created: 3, dryRun: true, errors: [] });
    expect(await entriesOf(world.workspace.id)).toHaveLength(0);
  });
});
