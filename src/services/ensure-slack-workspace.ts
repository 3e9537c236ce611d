// The workspace row of a Slack team, created on its first request (single-workspace mode) or install.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { workspaces } from "../db/schema/index.ts";

export type SlackTeam = { teamId: string; enterpriseId?: string | null; name?: string | null };

export async function ensureSlackWorkspace(db: Db, team: SlackTeam): Promise<{ workspaceId: string }> {
  const [existing] = await db
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(eq(workspaces.slackTeamId, team.teamId));
  if (existing) return { workspaceId: existing.id };
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
