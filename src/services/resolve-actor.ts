// Who is acting: the member behind a Slack user id, with their roles (none if unknown).
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members } from "../db/schema/index.ts";
import type { Actor } from "../domain/permissions.ts";

export async function resolveActor(db: Db, workspaceId: string, slackUserId: string): Promise<Actor> {
  const [member] = await db
    .select({ id: members.id, roles: members.roles })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.slackUserId, slackUserId)));
  return { memberId: member?.id ?? null, slackUserId, roles: member?.roles ?? [] };
}
