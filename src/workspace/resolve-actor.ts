// Who is acting: the member behind a Slack user id, with their roles, or a stranger who carries what
// to tell them (their Slack e-mail and the admins to ask). Slack requests get theirs from
// identifySlackUser in the app's middleware; this is for callers without one (tests, a failed link).
// It makes the actor, so it runs before one exists: it takes the db, not a ctx.
import type { Db } from "../db/client.ts";
import type { SlackActor } from "../domain/permissions.ts";
import { findAdminSlackUserIds, findMemberBySlackUser } from "./members-repo.ts";

export async function resolveActor(
  db: Db,
  workspaceId: string,
  slackUserId: string,
  /** The e-mail Slack gave for this user when it matched no member (see identifySlackUser). */
  slackEmail?: string | null,
): Promise<SlackActor> {
  const member = await findMemberBySlackUser(db, workspaceId, slackUserId);
  if (member) return { kind: "member", memberId: member.id, slackUserId, roles: member.roles };
  return {
    kind: "stranger",
    memberId: null,
    slackUserId,
    roles: [],
    stranger: { email: slackEmail ?? null, adminSlackUserIds: await findAdminSlackUserIds(db, workspaceId) },
  };
}
