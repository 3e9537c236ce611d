// The member row of a Slack user: the one with their Slack id, else the one with their Slack e-mail
// (linked now), else a new one without roles.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members } from "../db/schema/index.ts";
import { linkSlackMember } from "./link-slack-member.ts";

export async function ensureMember(
  db: Db,
  workspaceId: string,
  slackUserId: string,
  known: { name?: string | null; email?: string | null; reason?: string } = {},
): Promise<string> {
  const email = known.email?.trim().toLowerCase() || null;
  if (email) {
    const link = await linkSlackMember(db, {
      workspaceId,
      slackUserId,
      emailOf: async () => email,
      reason: known.reason ?? "named in Slack",
    });
    if (link.status !== "unknown") return link.memberId;
  }
  const [taken] = email
    ? await db
        .select({ id: members.id })
        .from(members)
        .where(and(eq(members.workspaceId, workspaceId), sql`lower(${members.email}) = ${email}`))
    : [];
  const [row] = await db
    .insert(members)
    .values({
      workspaceId,
      slackUserId,
      email: taken ? null : email,
      name: known.name?.trim() || slackUserId,
      roles: [],
    })
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
