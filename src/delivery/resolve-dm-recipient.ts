// Whom a DM to a member goes to: their Slack id, or the one Slack has for their e-mail
// (users.lookupByEmail), linked once and audited. Imported people get DMs before they ever act.
import type { Db } from "../db/client.ts";
import { findMember, linkMemberSlackUser } from "./repo.ts";

export type DmRecipient =
  | { slackUserId: string }
  /** Slack knows nobody with the member's e-mail: the sentence that says so and what to do. */
  | { unreachable: string };

export async function resolveDmRecipient(
  db: Db,
  lookupUserByEmail: (email: string) => Promise<string | null>,
  input: { workspaceId: string; memberId: string },
): Promise<DmRecipient> {
  const member = await findMember(db, input.workspaceId, input.memberId);
  if (!member) return { unreachable: "the person is no longer a member of this workspace" };
  if (member.slackUserId) return { slackUserId: member.slackUserId };
  if (!member.email) return { unreachable: `${member.name} has neither a Slack id nor an e-mail in Cobro` };
  const slackUserId = await lookupUserByEmail(member.email);
  if (!slackUserId) {
    return {
      unreachable: `Slack has nobody with the e-mail ${member.email} (${member.name}): invite them to Slack, or correct their e-mail with \`cobro import people\``,
    };
  }
  await linkMemberSlackUser(db, { workspaceId: input.workspaceId, memberId: input.memberId, slackUserId });
  return { slackUserId };
}
