// Timesheet and time entry rows: lookups, batch upserts and compare-and-set transitions. No rules.
import { and, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { pgArray } from "../db/batches.ts";
import type { Db } from "../db/client.ts";
import { queryRows } from "../db/client.ts";
import { members, projects, timeEntries, timesheetHistory, timesheets } from "../db/schema/index.ts";

export type TimesheetRow = typeof timesheets.$inferSelect;
export type TimeEntryRow = typeof timeEntries.$inferSelect;
export type TimeEntryInsert = typeof timeEntries.$inferInsert;

export type TimesheetKey = {
  projectId: string;
  personEmail: string;
  periodStart: string;
  periodEnd: string;
  memberId: string | null;
};

const keyOf = (k: { projectId: string; personEmail: string; periodStart: string }) =>
  `${k.projectId}\u0000${k.personEmail}\u0000${k.periodStart}`;
export const timesheetKey = keyOf;

/** Finds or creates the timesheets of the keys (one statement each way); map by key. */
export async function ensureTimesheets(
  db: Db,
  workspaceId: string,
  keys: readonly TimesheetKey[],
): Promise<Map<string, TimesheetRow>> {
  const unique = [...new Map(keys.map((k) => [keyOf(k), k])).values()];
  const found = new Map<string, TimesheetRow>();
  for (let i = 0; i < unique.length; i += 1000) {
    const chunk = unique.slice(i, i + 1000);
    await db
      .insert(timesheets)
      .values(chunk.map((k) => ({ workspaceId, ...k })))
      .onConflictDoNothing({
        target: [
          timesheets.workspaceId,
          timesheets.projectId,
          timesheets.personEmail,
          timesheets.periodStart,
        ],
      });
    const rows = await db
      .select()
      .from(timesheets)
      .where(
        and(
          eq(timesheets.workspaceId, workspaceId),
          sql`(${timesheets.projectId}, ${timesheets.personEmail}, ${timesheets.periodStart}) in (select * from unnest(${pgArray(
            chunk.map((k) => k.projectId),
          )}::uuid[], ${pgArray(chunk.map((k) => k.personEmail))}::text[], ${pgArray(
            chunk.map((k) => k.periodStart),
          )}::date[]))`,
        ),
      );
    for (const row of rows) found.set(keyOf(row), row);
  }
  return found;
}

export async function findEntriesByExternalId(
  db: Db,
  workspaceId: string,
  externalIds: readonly string[],
): Promise<Map<string, TimeEntryRow & { timesheetStatus: TimesheetRow["status"] | null }>> {
  const result = new Map<string, TimeEntryRow & { timesheetStatus: TimesheetRow["status"] | null }>();
  for (let i = 0; i < externalIds.length; i += 1000) {
    const rows = await db
      .select({ entry: timeEntries, timesheetStatus: timesheets.status })
      .from(timeEntries)
      .leftJoin(timesheets, eq(timesheets.id, timeEntries.timesheetId))
      .where(
        and(
          eq(timeEntries.workspaceId, workspaceId),
          inArray(timeEntries.externalId, externalIds.slice(i, i + 1000) as string[]),
        ),
      );
    for (const row of rows)
      result.set(row.entry.externalId, { ...row.entry, timesheetStatus: row.timesheetStatus });
  }
  return result;
}

export async function insertTimeEntries(db: Db, rows: readonly TimeEntryInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db.insert(timeEntries).values(rows.slice(i, i + 500) as TimeEntryInsert[]);
  }
}

export async function updateTimeEntry(db: Db, id: string, values: Partial<TimeEntryInsert>): Promise<void> {
  await db
    .update(timeEntries)
    .set({ ...values, updatedAt: new Date() })
    .where(eq(timeEntries.id, id));
}

export type TimesheetDetail = TimesheetRow & {
  projectCode: string;
  projectName: string;
  projectCurrency: string;
  projectHourlyRateMinor: number | null;
  approverMemberId: string | null;
  pmMemberId: string | null;
};

const person = alias(members, "person");

export async function findTimesheet(
  db: Db,
  workspaceId: string,
  timesheetId: string,
): Promise<TimesheetDetail | undefined> {
  const [row] = await db
    .select({
      sheet: timesheets,
      projectCode: projects.code,
      projectName: projects.name,
      projectCurrency: projects.currency,
      projectHourlyRateMinor: projects.hourlyRateMinor,
      // The project's approver, else the person's own (cobro import people: approver_email).
      approverMemberId: sql<
        string | null
      >`coalesce(${projects.approverMemberId}, ${person.approverMemberId})`,
      pmMemberId: projects.pmMemberId,
    })
    .from(timesheets)
    .innerJoin(projects, eq(projects.id, timesheets.projectId))
    .leftJoin(person, eq(person.id, timesheets.memberId))
    .where(and(eq(timesheets.workspaceId, workspaceId), eq(timesheets.id, timesheetId)));
  if (!row) return undefined;
  const { sheet, ...rest } = row;
  return { ...sheet, ...rest };
}

/**
 * The compare-and-set: moves the timesheet only if it is still in the expected state and version.
 * Returns the new row, or undefined when someone else moved it first.
 */
export async function casTimesheetStatus(
  db: Db,
  input: {
    workspaceId: string;
    timesheetId: string;
    from: TimesheetRow["status"];
    to: TimesheetRow["status"];
    expectedVersion: number;
    at: Date;
    reason?: string | null;
    decidedByMemberId?: string | null;
  },
): Promise<TimesheetRow | undefined> {
  const decided = input.to === "approved" || input.to === "rejected";
  const [row] = await db
    .update(timesheets)
    .set({
      status: input.to,
      version: sql`${timesheets.version} + 1`,
      updatedAt: input.at,
      ...(input.to === "submitted" ? { submittedAt: input.at, rejectionReason: null } : {}),
      ...(input.to === "rejected" ? { rejectionReason: input.reason ?? null } : {}),
      ...(decided
        ? { decidedAt: input.at, decidedByMemberId: input.decidedByMemberId ?? null }
        : { decidedAt: null, decidedByMemberId: null }),
    })
    .where(
      and(
        eq(timesheets.id, input.timesheetId),
        eq(timesheets.workspaceId, input.workspaceId),
        eq(timesheets.status, input.from),
        eq(timesheets.version, input.expectedVersion),
      ),
    )
    .returning();
  return row;
}

export async function appendTimesheetHistory(
  db: Db,
  rows: (typeof timesheetHistory.$inferInsert)[],
): Promise<void> {
  if (rows.length === 0) return;
  await db.insert(timesheetHistory).values(rows);
}

export async function findMemberByEmail(db: Db, workspaceId: string, email: string) {
  const [row] = await db
    .select()
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), sql`lower(${members.email}) = ${email.toLowerCase()}`));
  return row;
}

/** Hours per day and billable amount of a timesheet, for the approval DM and the App Home. */
export async function summarizeTimesheetEntries(db: Db, timesheetId: string) {
  return queryRows<{ work_date: string; minutes: number; billable_minutes: number }>(
    db,
    sql`select ${timeEntries.workDate}::text as work_date, sum(${timeEntries.minutes})::int as minutes,
          coalesce(sum(${timeEntries.minutes}) filter (where ${timeEntries.billable}), 0)::int as billable_minutes
        from ${timeEntries} where ${timeEntries.timesheetId} = ${timesheetId}
        group by 1 order by 1`,
  );
}
