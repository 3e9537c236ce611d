// `cobro workspace link`: binds the ctx's workspace to a Slack team, moving the team off any other
// workspace (the empty one Slack's first request created before the imported one was bound, typically).
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { DomainError, present } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { forgetConsoleIds } from "./console-ids-repo.ts";
import { CONSOLE_IDS, CONSOLE_TEAM_ID } from "./ensure-slack-workspace.ts";
import { findWorkspaceById, unbindSlackTeamElsewhere, updateWorkspace } from "./repo.ts";

export type LinkWorkspaceTeamResult = {
  workspaceName: string;
  teamId: string;
  alreadyDone: boolean;
  /** The team this workspace had before, if another. */
  previousTeamId: string | null;
  /** The workspace the team was bound to before: now unbound. */
  unboundWorkspaceName: string | null;
};

const TEAM_ID = /^T[A-Z0-9]{2,}$/;

export async function linkWorkspaceTeam(
  ctx: Ctx,
  input: { teamId: string },
): Promise<LinkWorkspaceTeamResult> {
  assertAllowed(ctx.actor, { action: "configure" });
  const teamId = input.teamId.trim();
  if (!TEAM_ID.test(teamId)) {
    throw new DomainError("workspace.team_id", `bad team id ${teamId}`, {
      userMessage: `"${teamId}" is not a Slack team id: it starts with T, such as T0123ABCD (Slack shows it in the workspace's URL and in \`cobro doctor\` once a request came in).`,
    });
  }
  const workspace = present(await findWorkspaceById(ctx.db, ctx.workspaceId), "workspace");
  const result: LinkWorkspaceTeamResult = {
    workspaceName: workspace.name,
    teamId,
    alreadyDone: workspace.slackTeamId === teamId,
    previousTeamId: workspace.slackTeamId && workspace.slackTeamId !== teamId ? workspace.slackTeamId : null,
    unboundWorkspaceName: null,
  };
  if (result.alreadyDone) return result;
  const actor = auditActorOf(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    for (const other of await unbindSlackTeamElsewhere(tx, teamId, workspace.id)) {
      result.unboundWorkspaceName = other.name;
      await recordAudit(tx, {
        workspaceId: other.id,
        actor,
        action: "workspace.slack_unbound",
        entity: "workspace",
        entityId: other.id,
        before: { slackTeamId: teamId },
        after: { slackTeamId: null, movedTo: workspace.id },
      });
    }
    await updateWorkspace(tx, workspace.id, { slackTeamId: teamId });
    // Tried in the local console: its people's and channels' ids are not the real team's.
    if (workspace.slackTeamId === CONSOLE_TEAM_ID) await forgetConsoleIds(tx, workspace.id, CONSOLE_IDS);
    await recordAudit(tx, {
      workspaceId: workspace.id,
      actor,
      action: "workspace.slack_bound",
      entity: "workspace",
      entityId: workspace.id,
      before: { slackTeamId: workspace.slackTeamId },
      after: { slackTeamId: teamId },
    });
  });
  return result;
}
