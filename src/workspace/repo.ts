// Workspace rows: the workspace itself, its members' roles, and the once-a-day claims of scheduled runs.
import { and, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members, scheduledRuns, workspaces } from "../db/schema/index.ts";
import type { Role } from "../domain/roles.ts";

export type { SellerIdentity, WorkspaceSettings } from "../db/schema/index.ts";
export type WorkspaceRow = typeof workspaces.$inferSelect;
export type WorkspaceChange = Partial<Omit<typeof workspaces.$inferInsert, "id">>;

/** One run per workspace, job and local date: true only for the caller that inserted the row. */
export async function claimScheduledRun(
  db: Db,
  workspaceId: string,
  job: string,
  runDate: string,
): Promise<string | null> {
  const [row] = await db
    .insert(scheduledRuns)
    .values({ workspaceId, job, runDate })
    .onConflictDoNothing({ target: [scheduledRuns.workspaceId, scheduledRuns.job, scheduledRuns.runDate] })
    .returning({ id: scheduledRuns.id });
  return row?.id ?? null;
}

/**
 * Takes over the day's run when it never finished and its last sign of life (`started_at`, renewed
 * by each step of a long run) is older than `leaseSeconds`: the process that ran it died mid-run.
 */
export async function takeOverStaleRun(
  db: Db,
  workspaceId: string,
  job: string,
  runDate: string,
  leaseSeconds: number,
): Promise<string | null> {
  const [row] = await db
    .update(scheduledRuns)
    .set({ startedAt: sql`now()` })
    .where(
      and(
        eq(scheduledRuns.workspaceId, workspaceId),
        eq(scheduledRuns.job, job),
        eq(scheduledRuns.runDate, runDate),
        isNull(scheduledRuns.finishedAt),
        sql`${scheduledRuns.startedAt} < now() - make_interval(secs => ${leaseSeconds})`,
      ),
    )
    .returning({ id: scheduledRuns.id });
  return row?.id ?? null;
}

/** Renews a long run's lease (see takeOverStaleRun). */
export async function renewScheduledRun(db: Db, runId: string): Promise<void> {
  await db.update(scheduledRuns).set({ startedAt: sql`now()` }).where(eq(scheduledRuns.id, runId));
}

export async function finishScheduledRun(db: Db, runId: string, summary: Record<string, unknown>) {
  await db.update(scheduledRuns).set({ finishedAt: sql`now()`, summary }).where(eq(scheduledRuns.id, runId));
}

export async function findWorkspaceById(db: Db, workspaceId: string): Promise<WorkspaceRow | null> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  return row ?? null;
}

export function listWorkspaces(db: Db): Promise<WorkspaceRow[]> {
  return db.select().from(workspaces);
}

export async function findMemberRoles(db: Db, workspaceId: string, memberId: string): Promise<Role[] | null> {
  const [row] = await db
    .select({ roles: members.roles })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.id, memberId)));
  return row ? [...row.roles] : null;
}

/** The workspace row, locked until the transaction ends; throws when there is none. */
export async function lockWorkspace(db: Db, workspaceId: string): Promise<WorkspaceRow> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId)).for("update");
  if (!row) throw new Error(`workspace ${workspaceId} not found`);
  return row;
}

export async function updateWorkspace(db: Db, workspaceId: string, change: WorkspaceChange): Promise<void> {
  await db.update(workspaces).set(change).where(eq(workspaces.id, workspaceId));
}

export async function findWorkspaceIdBySlackTeam(db: Db, teamId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(eq(workspaces.slackTeamId, teamId));
  return row?.id ?? null;
}

/** The workspace of a Slack team, created (or given its enterprise id) in one statement. */
export async function upsertSlackWorkspace(
  db: Db,
  team: { teamId: string; enterpriseId: string | null; name: string },
): Promise<string | null> {
  const [row] = await db
    .insert(workspaces)
    .values({ slackTeamId: team.teamId, slackEnterpriseId: team.enterpriseId, name: team.name })
    .onConflictDoUpdate({
      target: workspaces.slackTeamId,
      set: {
        slackEnterpriseId: sql`coalesce(excluded.slack_enterprise_id, ${workspaces.slackEnterpriseId})`,
      },
    })
    .returning({ id: workspaces.id });
  return row?.id ?? null;
}

/** Binds the team to the one workspace without a team; null when there are none or several. */
/**
 * Binds the team to the one workspace with no Slack team, counting as free a workspace bound only to
 * one of `placeholderTeamIds` (the local console's); nothing when there are none or several.
 */
export async function bindOnlyUnboundWorkspace(
  db: Db,
  team: { teamId: string; enterpriseId: string | null },
  placeholderTeamIds: readonly string[] = [],
): Promise<{ id: string; name: string } | null> {
  const free = () =>
    placeholderTeamIds.length > 0
      ? or(isNull(workspaces.slackTeamId), inArray(workspaces.slackTeamId, [...placeholderTeamIds]))
      : isNull(workspaces.slackTeamId);
  const unbound = db.select({ id: workspaces.id }).from(workspaces).where(free());
  const [row] = await db
    .update(workspaces)
    .set({
      slackTeamId: team.teamId,
      slackEnterpriseId: team.enterpriseId,
      // Channels chosen under a placeholder team are that team's (the console's #billing): not the real one's.
      billingChannelId: sql`case when ${workspaces.slackTeamId} is null then ${workspaces.billingChannelId} end`,
      collectionsChannelId: sql`case when ${workspaces.slackTeamId} is null then ${workspaces.collectionsChannelId} end`,
    })
    .where(
      and(
        inArray(workspaces.id, unbound),
        // Re-checked on the row itself when two first requests race for it.
        free(),
        sql`(select count(*) from ${workspaces} where ${free()}) = 1`,
      ),
    )
    .returning({ id: workspaces.id, name: workspaces.name });
  return row ?? null;
}

/** Takes the team off every other workspace: the ones it was bound to. */
export function unbindSlackTeamElsewhere(
  db: Db,
  teamId: string,
  keptWorkspaceId: string,
): Promise<{ id: string; name: string }[]> {
  return db
    .update(workspaces)
    .set({ slackTeamId: null, slackEnterpriseId: null })
    .where(and(eq(workspaces.slackTeamId, teamId), ne(workspaces.id, keptWorkspaceId)))
    .returning({ id: workspaces.id, name: workspaces.name });
}

/** The workspaces a CLI selector names: by id when it is a uuid, else by Slack team id or name. */
export function findWorkspacesNamed(db: Db, selector: string): Promise<WorkspaceRow[]> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(selector);
  return db
    .select()
    .from(workspaces)
    .where(
      isUuid
        ? eq(workspaces.id, selector)
        : or(eq(workspaces.slackTeamId, selector), eq(workspaces.name, selector)),
    );
}

export function listFirstWorkspaces(db: Db, limit: number): Promise<WorkspaceRow[]> {
  return db.select().from(workspaces).limit(limit);
}

export async function insertWorkspace(db: Db, name: string): Promise<WorkspaceRow | null> {
  const [row] = await db.insert(workspaces).values({ name }).returning();
  return row ?? null;
}
