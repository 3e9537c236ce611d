// The workspace row of a Slack team: found, or the single workspace not bound to a team yet (data
// imported with `cobro import` before Slack was connected, perhaps tried in the local console), or
// created on its first request/install.
// It finds the workspace a ctx is built for, so it runs before any ctx exists and takes the db.
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { present } from "../domain/errors.ts";
import { forgetConsoleIds } from "./console-ids-repo.ts";
import { bindOnlyUnboundWorkspace, findWorkspaceIdBySlackTeam, upsertSlackWorkspace } from "./repo.ts";

/**
 * The Slack team the local console plays (src/console). A workspace tried there before Slack was
 * connected is still the company's: the real team takes it over like an unbound one.
 */
export const CONSOLE_TEAM_ID = "TCOBROCONSOLE";
/** Ids the console makes up (members' UCONSOLE…, channels' CCONSOLE…, its #billing and #collections): never a real team's. */
export const CONSOLE_IDS = {
  user: "UCONSOLE",
  channel: "CCONSOLE",
  billing: "CBILLING",
  collections: "CCOLLECT",
} as const;

export type SlackTeam = { teamId: string; enterpriseId?: string | null; name?: string | null };

export async function ensureSlackWorkspace(
  db: Db,
  team: SlackTeam,
): Promise<{ workspaceId: string; bound?: true }> {
  const existing = await findWorkspaceIdBySlackTeam(db, team.teamId);
  if (existing) return { workspaceId: existing };
  const bound = await bindSingleUnboundWorkspace(db, team);
  if (bound) return { workspaceId: bound, bound: true };
  const workspaceId = await upsertSlackWorkspace(db, {
    teamId: team.teamId,
    enterpriseId: team.enterpriseId ?? null,
    name: team.name?.trim() || team.teamId,
  });
  return { workspaceId: present(workspaceId, `workspace of team ${team.teamId}`) };
}

/** Binds the team to the one unbound workspace; nothing when there are none or several (ambiguous). */
async function bindSingleUnboundWorkspace(db: Db, team: SlackTeam): Promise<string | null> {
  return db.transaction(async (tx) => {
    const placeholders = team.teamId === CONSOLE_TEAM_ID ? [] : [CONSOLE_TEAM_ID];
    const tried = placeholders.length > 0 ? await findWorkspaceIdBySlackTeam(tx, CONSOLE_TEAM_ID) : null;
    const row = await bindOnlyUnboundWorkspace(
      tx,
      { teamId: team.teamId, enterpriseId: team.enterpriseId ?? null },
      placeholders,
    );
    if (!row) return null;
    // The console's people and channels are not the real team's: members are linked again by e-mail.
    if (row.id === tried) await forgetConsoleIds(tx, row.id, CONSOLE_IDS);
    await recordAudit(tx, {
      workspaceId: row.id,
      actor: "system",
      action: "workspace.slack_bound",
      entity: "workspace",
      entityId: row.id,
      after: {
        slackTeamId: team.teamId,
        reason: "the only workspace without a Slack team (or only tried in the local console)",
      },
    });
    return row.id;
  });
}
