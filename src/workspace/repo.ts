// Workspace rows: the workspace itself, its members' roles, and the once-a-day claims of scheduled runs.
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members, scheduledRuns, workspaces } from "../db/schema/index.ts";

export type WorkspaceRow = typeof workspaces.$inferSelect;

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

export async function findMemberRoles(
  db: Db,
  workspaceId: string,
  memberId: string,
): Promise<string[] | null> {
  const [row] = await db
    .select({ roles: members.roles })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.id, memberId)));
  return row ? [...row.roles] : null;
}

/** The Slack ids of a few admins: whom a stranger is told to ask. */
export async function findAdminSlackUserIds(db: Db, workspaceId: string): Promise<string[]> {
  const admins = await db
    .select({ slackUserId: members.slackUserId })
    .from(members)
    .where(
      and(
        eq(members.workspaceId, workspaceId),
        isNotNull(members.slackUserId),
        sql`'admin' = any(${members.roles})`,
      ),
    )
    .limit(5);
  return admins.flatMap((admin) => (admin.slackUserId ? [admin.slackUserId] : []));
}
