// Who is acting: the member behind a Slack user id, with their roles (none if unknown). A stranger
// carries what to tell them: their Slack e-mail and the admins to ask.
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members } from "../db/schema/index.ts";
import type { Actor } from "../domain/permissions.ts";

export async function resolveActor(
  db: Db,
  workspaceId: string,
  slackUserId: string,
  /** The e-mail Slack gave for this user when it matched no member (see linkSlackMember). */
  slackEmail?: string | null,
): Promise<Actor> {
  const [member] = await db
    .select({ id: members.id, roles: members.roles })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.slackUserId, slackUserId)));
  if (member) return { memberId: member.id, slackUserId, roles: member.roles };
  const admins = await db
    .select({ slackUserId: members.slackUserId })
    .from(members)
    .where(
      and(
        eq(members.workspaceId, workspaceId),
        isNotNull(members.slackUserId),
        sql`'admin' = any(${members.roles})`,
      ),
    )
    .limit(5);
  return {
    memberId: null,
    slackUserId,
    roles: [],
    stranger: { email: slackEmail ?? null, adminSlackUserIds: admins.map((a) => a.slackUserId as string) },
  };
}
