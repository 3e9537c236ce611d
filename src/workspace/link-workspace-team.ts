// `cobro workspace link`: binds a workspace to a Slack team, moving the team off any other workspace
// (the empty one Slack's first request created before the imported one was bound, typically).
import { and, eq, ne } from "drizzle-orm";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { workspaces } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import { resolveWorkspace } from "./resolve-workspace.ts";

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
  db: Db,
  input: { workspace: string; teamId: string },
): Promise<LinkWorkspaceTeamResult> {
  const teamId = input.teamId.trim();
  if (!TEAM_ID.test(teamId)) {
    throw new DomainError("workspace.team_id", `bad team id ${teamId}`, {
      userMessage: `"${teamId}" is not a Slack team id: it starts with T, such as T0123ABCD (Slack shows it in the workspace's URL and in \`cobro doctor\` once a request came in).`,
    });
  }
  const workspace = await resolveWorkspace(db, input.workspace);
  const result: LinkWorkspaceTeamResult = {
    workspaceName: workspace.name,
    teamId,
    alreadyDone: workspace.slackTeamId === teamId,
    previousTeamId: workspace.slackTeamId && workspace.slackTeamId !== teamId ? workspace.slackTeamId : null,
    unboundWorkspaceName: null,
  };
  if (result.alreadyDone) return result;
  await db.transaction(async (tx) => {
    const moved = await tx
      .update(workspaces)
      .set({ slackTeamId: null, slackEnterpriseId: null })
      .where(and(eq(workspaces.slackTeamId, teamId), ne(workspaces.id, workspace.id)))
      .returning({ id: workspaces.id, name: workspaces.name });
    for (const other of moved) {
      result.unboundWorkspaceName = other.name;
      await recordAudit(tx, {
        workspaceId: other.id,
        actor: "cli",
        action: "workspace.slack_unbound",
        entity: "workspace",
        entityId: other.id,
        before: { slackTeamId: teamId },
        after: { slackTeamId: null, movedTo: workspace.id },
      });
    }
    await tx.update(workspaces).set({ slackTeamId: teamId }).where(eq(workspaces.id, workspace.id));
    await recordAudit(tx, {
      workspaceId: workspace.id,
      actor: "cli",
      action: "workspace.slack_bound",
      entity: "workspace",
      entityId: workspace.id,
      before: { slackTeamId: workspace.slackTeamId },
      after: { slackTeamId: teamId },
    });
  });
  return result;
}
