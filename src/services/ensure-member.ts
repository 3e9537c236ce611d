// The member row of a Slack user, created without roles the first time they are named or act.
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members } from "../db/schema/index.ts";

/** The member row of a Slack user, created (without roles) the first time they act. */
export async function ensureMember(
  db: Db,
  workspaceId: string,
  slackUserId: string,
  name?: string,
): Promise<string> {
  const [row] = await db
    .insert(members)
    .values({ workspaceId, slackUserId, name: name?.trim() || slackUserId, roles: [] })
    .onConflictDoNothing({ target: [members.workspaceId, members.slackUserId] })
    .returning({ id: members.id });
  if (row) return row.id;
  const [existing] = await db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.slackUserId, slackUserId)));
  if (!existing) throw new Error(`member ${slackUserId} vanished`);
  return existing.id;
}
