// A workspace installed Cobro through OAuth: its workspace row exists and the installer is admin.
import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { members } from "../db/schema/index.ts";
import { ensureMember } from "./ensure-member.ts";
import { ensureSlackWorkspace, type SlackTeam } from "./ensure-slack-workspace.ts";

export async function registerSlackInstallation(
  db: Db,
  input: SlackTeam & { installerSlackUserId?: string | null },
): Promise<{ workspaceId: string }> {
  return db.transaction(async (tx) => {
    const { workspaceId } = await ensureSlackWorkspace(tx, input);
    if (input.installerSlackUserId) {
      const memberId = await ensureMember(tx, workspaceId, input.installerSlackUserId);
      const promoted = await tx
        .update(members)
        .set({ roles: sql`array_append(${members.roles}, 'admin')` })
        .where(and(eq(members.id, memberId), sql`not ('admin' = any(${members.roles}))`))
        .returning({ id: members.id });
      if (promoted.length > 0) {
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
