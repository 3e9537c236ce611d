// Timesheet and time entry rows: lookups, batch upserts and compare-and-set transitions. No rules.
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { pgArray, type UpdateById, updateByIdInBatches } from "../db/batches.ts";
import type { Db } from "../db/client.ts";
import { queryRows } from "../db/client.ts";
import {
  members,
  projectRates,
  projects,
  timeEntries,
  timesheetHistory,
  timesheets,
} from "../db/schema/index.ts";
import { nameKey } from "../domain/names.ts";

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

/** A member of the workspace (the one who logs time, or who decides). */
export async function findMemberById(db: Db, workspaceId: string, memberId: string) {
  const [row] = await db
    .select()
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.id, memberId)));
  return row;
}

/** A project by its code, whatever its case. */
export async function findProjectByCodeKey(db: Db, workspaceId: string, codeKey: string) {
  const [row] = await db
    .select({ id: projects.id, code: projects.code })
    .from(projects)
    .where(and(eq(projects.workspaceId, workspaceId), eq(sql`lower(${projects.code})`, codeKey)));
  return row;
}

export async function findTimesheetByKey(
  db: Db,
  workspaceId: string,
  key: { projectId: string; personEmail: string; periodStart: string },
) {
  const [row] = await db
    .select({ id: timesheets.id })
    .from(timesheets)
    .where(
      and(
        eq(timesheets.workspaceId, workspaceId),
        eq(timesheets.projectId, key.projectId),
        eq(timesheets.personEmail, key.personEmail),
        eq(timesheets.periodStart, key.periodStart),
      ),
    );
  return row;
}

/** How many entries a timesheet holds (`billedOnly`: only those already on an invoice). */
export async function countTimesheetEntries(
  db: Db,
  timesheetId: string,
  options: { billedOnly: boolean },
): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(timeEntries)
    .where(
      and(
        eq(timeEntries.timesheetId, timesheetId),
        options.billedOnly ? sql`${timeEntries.invoiceId} is not null` : undefined,
      ),
    );
  return row?.n ?? 0;
}

/** The timesheets of a bulk approval, with what decides who may approve them. */
export async function listTimesheetsForApproval(db: Db, workspaceId: string, ids: readonly string[]) {
  return db
    .select({
      id: timesheets.id,
      status: timesheets.status,
      version: timesheets.version,
      personEmail: timesheets.personEmail,
      memberId: timesheets.memberId,
      projectCode: projects.code,
      approverMemberId: projects.approverMemberId,
      pmMemberId: projects.pmMemberId,
    })
    .from(timesheets)
    .innerJoin(projects, eq(projects.id, timesheets.projectId))
    .where(and(eq(timesheets.workspaceId, workspaceId), inArray(timesheets.id, ids as string[])));
}

/** The bulk compare-and-set: approves those still submitted at the version seen; returns the winners. */
export async function approveSubmittedTimesheets(
  db: Db,
  workspaceId: string,
  seen: readonly { id: string; version: number }[],
  decision: { at: Date; decidedByMemberId: string | null },
) {
  return db
    .update(timesheets)
    .set({
      status: "approved",
      version: sql`${timesheets.version} + 1`,
      decidedAt: decision.at,
      decidedByMemberId: decision.decidedByMemberId,
      updatedAt: decision.at,
    })
    .where(
      and(
        eq(timesheets.workspaceId, workspaceId),
        eq(timesheets.status, "submitted"),
        sql`(${timesheets.id}, ${timesheets.version}) in (${sql.join(
          seen.map((a) => sql`(${a.id}::uuid, ${a.version}::int)`),
          sql`, `,
        )})`,
      ),
    )
    .returning({
      id: timesheets.id,
      version: timesheets.version,
      personEmail: timesheets.personEmail,
      memberId: timesheets.memberId,
    });
}

/** Active projects time can be logged on, billed on time first (the `/cobro time` menu). */
export async function listActiveTimeProjects(db: Db, workspaceId: string) {
  return db
    .select({ code: projects.code, name: projects.name })
    .from(projects)
    .where(and(eq(projects.workspaceId, workspaceId), eq(projects.active, true)))
    .orderBy(desc(projects.billingMode), projects.code)
    .limit(100);
}

/** Timesheets still awaiting a decision, submitted at or before `cutoff`. */
export async function listSubmittedBefore(db: Db, workspaceId: string, cutoff: Date) {
  return db
    .select({
      id: timesheets.id,
      version: timesheets.version,
      memberId: timesheets.memberId,
      approverMemberId: projects.approverMemberId,
      pmMemberId: projects.pmMemberId,
    })
    .from(timesheets)
    .innerJoin(projects, eq(projects.id, timesheets.projectId))
    .where(
      and(
        eq(timesheets.workspaceId, workspaceId),
        eq(timesheets.status, "submitted"),
        sql`${timesheets.submittedAt} <= ${cutoff.toISOString()}::timestamptz`,
      ),
    );
}

// designatedApprover (domain/timesheet-state.ts) in SQL: the project's approver, else its PM, never the
// person whose time it is.
const designated = sql`case
  when ${projects.approverMemberId} is not null and ${projects.approverMemberId} is distinct from ${timesheets.memberId}
    then ${projects.approverMemberId}
  when ${projects.pmMemberId} is not null and ${projects.pmMemberId} is distinct from ${timesheets.memberId}
    then ${projects.pmMemberId} end`;

/** Submitted timesheets this member may decide, oldest first (ids only). */
export async function listPendingApprovalIds(
  db: Db,
  workspaceId: string,
  memberId: string,
  limit: number,
): Promise<string[]> {
  const [me] = await db.select({ roles: members.roles }).from(members).where(eq(members.id, memberId));
  const approverRole = me?.roles.includes("approver") ?? false;
  const rows = await db
    .select({ id: timesheets.id })
    .from(timesheets)
    .innerJoin(projects, eq(projects.id, timesheets.projectId))
    .where(
      and(
        eq(timesheets.workspaceId, workspaceId),
        eq(timesheets.status, "submitted"),
        approverRole
          ? sql`coalesce(${designated}, ${memberId}) = ${memberId} and ${timesheets.memberId} is distinct from ${memberId}`
          : sql`${designated} = ${memberId}`,
      ),
    )
    .orderBy(timesheets.submittedAt)
    .limit(limit);
  return rows.map((r) => r.id);
}

/** The hourly rate of a person on a project, when one is set for them. */
export async function findPersonRate(db: Db, projectId: string, personEmail: string) {
  const [row] = await db
    .select({ rate: projectRates.hourlyRateMinor })
    .from(projectRates)
    .where(and(eq(projectRates.projectId, projectId), eq(projectRates.personEmail, personEmail)));
  return row?.rate ?? null;
}

/** The names a timesheet summary shows: the person's (by e-mail) and the decider's. */
export async function findMemberNames(
  db: Db,
  workspaceId: string,
  who: { personEmail: string; deciderMemberId: string | null },
) {
  const [person] = await db
    .select({ name: members.name })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), sql`lower(${members.email}) = ${who.personEmail}`));
  const [decider] = who.deciderMemberId
    ? await db.select({ name: members.name }).from(members).where(eq(members.id, who.deciderMemberId))
    : [];
  return { person: person?.name ?? null, decider: decider?.name ?? null };
}

/** Projects by code and name, members by e-mail and name: how a batch of entries finds its rows. */
export async function loadTimeEntryLookups(db: Db, workspaceId: string) {
  const projectRows = await db
    .select({ id: projects.id, code: projects.code, name: projects.name })
    .from(projects)
    .where(eq(projects.workspaceId, workspaceId));
  const byCode = new Map(projectRows.map((p) => [nameKey(p.code), p]));
  const byName = new Map<string, (typeof projectRows)[number][]>();
  for (const p of projectRows) byName.set(nameKey(p.name), [...(byName.get(nameKey(p.name)) ?? []), p]);
  const memberRows = await db
    .select({ id: members.id, email: members.email, name: members.name })
    .from(members)
    .where(eq(members.workspaceId, workspaceId));
  const memberByEmail = new Map(
    memberRows.flatMap((m) => (m.email ? [[m.email.toLowerCase(), m] as const] : [])),
  );
  const memberByName = new Map<string, (typeof memberRows)[number][]>();
  for (const m of memberRows)
    memberByName.set(nameKey(m.name), [...(memberByName.get(nameKey(m.name)) ?? []), m]);
  return { byCode, byName, memberByEmail, memberByName };
}

export type TimeEntryLookups = Awaited<ReturnType<typeof loadTimeEntryLookups>>;

export type TimeEntryUpdate = UpdateById<typeof timeEntries>;

export async function updateTimeEntries(db: Db, updates: TimeEntryUpdate[]): Promise<void> {
  await updateByIdInBatches(db, timeEntries, updates);
}

/** Projects billed on time with approved, unbilled, billable entries up to `cutoff`. */
export async function listBillableProjects(db: Db, workspaceId: string, cutoff: string) {
  return queryRows<{ project_id: string; code: string; client_id: string; client_name: string }>(
    db,
    sql`select distinct p.id as project_id, p.code, c.id as client_id, c.name as client_name
        from time_entries e
        join timesheets t on t.id = e.timesheet_id and t.status = 'approved'
        join projects p on p.id = e.project_id and p.billing_mode = 'time'
        join clients c on c.id = p.client_id
        where e.workspace_id = ${workspaceId} and e.invoice_id is null and e.billable
          and e.work_date <= ${cutoff}::date
        order by p.code`,
  );
}

export type BillableEntryRow = {
  id: string;
  project_id: string;
  person_email: string;
  person_name: string | null;
  task: string | null;
  work_date: string;
  minutes: number;
  rate: string | number | null;
};

/** A project's approved, unbilled entries up to `cutoff`, with their rate, locked (SKIP LOCKED). */
export async function lockBillableEntries(db: Db, workspaceId: string, projectId: string, cutoff: string) {
  return queryRows<BillableEntryRow>(
    db,
    sql`select e.id, e.project_id, e.person_email, e.person_name, e.task, e.work_date::text as work_date,
          e.minutes, coalesce(r.hourly_rate_minor, p.hourly_rate_minor, m.hourly_rate_minor) as rate
        from time_entries e
        join timesheets t on t.id = e.timesheet_id and t.status = 'approved'
        join projects p on p.id = e.project_id
        left join project_rates r on r.project_id = e.project_id and r.person_email = e.person_email
        -- The person's default rate (cobro import people) when the project sets none.
        left join members m on m.workspace_id = e.workspace_id and lower(m.email) = e.person_email
          and m.hourly_rate_currency = p.currency
        where e.workspace_id = ${workspaceId} and e.project_id = ${projectId}
          and e.invoice_id is null and e.billable and e.work_date <= ${cutoff}::date
        order by e.work_date, e.id
        for update of e skip locked`,
  );
}

/** Puts the entries on the invoice, those still unbilled only; returns how many it claimed. */
export async function markEntriesBilled(
  db: Db,
  workspaceId: string,
  ids: readonly string[],
  invoiceId: string,
): Promise<number> {
  let claimed = 0;
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = await db
      .update(timeEntries)
      .set({ invoiceId })
      .where(
        and(
          eq(timeEntries.workspaceId, workspaceId),
          inArray(timeEntries.id, ids.slice(i, i + 5000) as string[]),
          isNull(timeEntries.invoiceId),
        ),
      )
      .returning({ id: timeEntries.id });
    claimed += chunk.length;
  }
  return claimed;
}
