// The workspace row of a Slack team: found, or the single workspace not bound to a team yet (data
// imported with `cobro import` before Slack was connected), or created on its first request/install.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { workspaces } from "../db/schema/index.ts";

export type SlackTeam = { teamId: string; enterpriseId?: string | null; name?: string | null };

export async function ensureSlackWorkspace(
  db: Db,
  team: SlackTeam,
): Promise<{ workspaceId: string; bound?: true }> {
  const [existing] = await db
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(eq(workspaces.slackTeamId, team.teamId));
  if (existing) return { workspaceId: existing.id };
  const bound = await bindSingleUnboundWorkspace(db, team);
  if (bound) return { workspaceId: bound, bound: true };
  const [row] = await db
    .insert(workspaces)
    .values({
      slackTeamId: team.teamId,
      slackEnterpriseId: team.enterpriseId ?? null,
      name: team.name?.trim() || team.teamId,
    })
    .onConflictDoUpdate({
      target: workspaces.slackTeamId,
      set: {
        slackEnterpriseId: sql`coalesce(excluded.slack_enterprise_id, ${workspaces.slackEnterpriseId})`,
      },
    })
    .returning({ id: workspaces.id });
  if (!row) throw new Error(`workspace upsert for ${team.teamId} returned nothing`);
  return { workspaceId: row.id };
}

/** Binds the team to the one unbound workspace; nothing when there are none or several (ambiguous). */
async function bindSingleUnboundWorkspace(db: Db, team: SlackTeam): Promise<string | null> {
  return db.transaction(async (tx) => {
    const unbound = tx.select({ id: workspaces.id }).from(workspaces).where(isNull(workspaces.slackTeamId));
    const [row] = await tx
      .update(workspaces)
      .set({ slackTeamId: team.teamId, slackEnterpriseId: team.enterpriseId ?? null })
      .where(
        and(
          inArray(workspaces.id, unbound),
          // Re-checked on the row itself when two first requests race for it.
          isNull(workspaces.slackTeamId),
          sql`(select count(*) from ${workspaces} where ${workspaces.slackTeamId} is null) = 1`,
        ),
      )
      .returning({ id: workspaces.id, name: workspaces.name });
    if (!row) return null;
    await recordAudit(tx, {
      workspaceId: row.id,
      actor: "system",
      action: "workspace.slack_bound",
      entity: "workspace",
      entityId: row.id,
      before: { slackTeamId: null },
      after: { slackTeamId: team.teamId, reason: "the only workspace without a Slack team" },
    });
    return row.id;
  });
}
