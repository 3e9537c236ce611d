// Whom a DM to a member goes to: their Slack id, or the one Slack has for their e-mail
// (users.lookupByEmail), linked once and audited. Imported people get DMs before they ever act.
import { and, eq, isNull } from "drizzle-orm";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { members } from "../db/schema/index.ts";

export type DmRecipient =
  | { slackUserId: string }
  /** Slack knows nobody with the member's e-mail: the sentence that says so and what to do. */
  | { unreachable: string };

export async function resolveDmRecipient(
  db: Db,
  lookupUserByEmail: (email: string) => Promise<string | null>,
  input: { workspaceId: string; memberId: string },
): Promise<DmRecipient> {
  const [member] = await db
    .select({ slackUserId: members.slackUserId, email: members.email, name: members.name })
    .from(members)
    .where(and(eq(members.workspaceId, input.workspaceId), eq(members.id, input.memberId)));
  if (!member) return { unreachable: "the person is no longer a member of this workspace" };
  if (member.slackUserId) return { slackUserId: member.slackUserId };
  if (!member.email) return { unreachable: `${member.name} has neither a Slack id nor an e-mail in Cobro` };
  const slackUserId = await lookupUserByEmail(member.email);
  if (!slackUserId) {
    return {
      unreachable: `Slack has nobody with the e-mail ${member.email} (${member.name}): invite them to Slack, or correct their e-mail with \`cobro import people\``,
    };
  }
  await db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.workspaceId, input.workspaceId), eq(members.slackUserId, slackUserId)));
    if (taken) return;
    const linked = await tx
      .update(members)
      .set({ slackUserId })
      .where(and(eq(members.id, input.memberId), isNull(members.slackUserId)))
      .returning({ id: members.id });
    if (linked.length === 0) return;
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: "system",
      action: "member.slack_linked",
      entity: "member",
      entityId: input.memberId,
      after: { slackUserId, reason: "looked up by e-mail to send a DM" },
    });
  });
  return { slackUserId };
}
