// Who acts in a Slack request, found once per request by the app's middleware: the member with this
// Slack id, else the one with their Slack e-mail (linked now, audited), else a stranger who is told
// whom to ask. It makes the actor, so it runs before one exists: it takes the db, not a ctx.
import type { Db } from "../db/client.ts";
import type { SlackActor } from "../domain/actor.ts";
import { linkSlackMember } from "./link-slack-member.ts";
import { findAdminSlackUserIds } from "./members-repo.ts";

export async function identifySlackUser(
  db: Db,
  input: {
    workspaceId: string;
    slackUserId: string;
    /** Asked only when the member is not known with an e-mail already (a Web API call). */
    emailOf: () => Promise<string | null>;
    reason: string;
  },
): Promise<SlackActor> {
  const link = await linkSlackMember(db, input);
  const { slackUserId } = input;
  if (link.status !== "unknown") {
    return { kind: "member", memberId: link.memberId, slackUserId, roles: link.roles };
  }
  const adminSlackUserIds = await findAdminSlackUserIds(db, input.workspaceId);
  return {
    kind: "stranger",
    memberId: null,
    slackUserId,
    roles: [],
    stranger: { email: link.email, adminSlackUserIds },
  };
}
