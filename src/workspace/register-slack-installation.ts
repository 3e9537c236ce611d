// A workspace installed Cobro through OAuth: its workspace row exists and the installer is admin.
// Bolt's installation store calls it before the workspace (let alone an actor) exists: it takes the db.
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { ensureMember } from "./ensure-member.ts";
import { ensureSlackWorkspace, type SlackTeam } from "./ensure-slack-workspace.ts";
import { grantAdmin } from "./members-repo.ts";

export async function registerSlackInstallation(
  db: Db,
  input: SlackTeam & { installerSlackUserId?: string | null },
): Promise<{ workspaceId: string }> {
  return db.transaction(async (tx) => {
    const { workspaceId } = await ensureSlackWorkspace(tx, input);
    if (input.installerSlackUserId) {
      const memberId = await ensureMember(tx, workspaceId, input.installerSlackUserId);
      if (await grantAdmin(tx, memberId)) {
        await recordAudit(tx, {
          workspaceId,
          actor: `slack:${input.installerSlackUserId}`,
          action: "member.roles_granted",
          entity: "member",
          entityId: memberId,
          after: { added: ["admin"], reason: "installed Cobro" },
        });
      }
    }
    return { workspaceId };
  });
}
