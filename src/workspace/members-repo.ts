// Rows of members: who they are in Slack, their e-mail, roles and language.
import { and, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members, workspaces } from "../db/schema/index.ts";
import type { Role } from "../domain/roles.ts";
import type { Locale } from "../i18n/index.ts";

export type MemberInsert = Omit<typeof members.$inferInsert, "id">;

export async function findMemberBySlackUser(
  db: Db,
  workspaceId: string,
  slackUserId: string,
): Promise<{ id: string; email: string | null; roles: Role[] } | null> {
  const [row] = await db
    .select({ id: members.id, email: members.email, roles: members.roles })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.slackUserId, slackUserId)));
  return row ?? null;
}

/** The member with this e-mail in any case (`email` lower-cased by the caller). */
export async function findMemberByLowerEmail(
  db: Db,
  workspaceId: string,
  email: string,
): Promise<{ id: string; slackUserId: string | null; roles: Role[] } | null> {
  const [row] = await db
    .select({ id: members.id, slackUserId: members.slackUserId, roles: members.roles })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), sql`lower(${members.email}) = ${email}`));
  return row ?? null;
}

/** The member with exactly this e-mail (as imported). */
export async function findMemberByEmail(
  db: Db,
  workspaceId: string,
  email: string,
): Promise<{ id: string; roles: Role[] } | null> {
  const [row] = await db
    .select({ id: members.id, roles: members.roles })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.email, email)));
  return row ?? null;
}

export async function insertMember(
  db: Db,
  member: MemberInsert,
): Promise<{ id: string; roles: Role[] } | null> {
  const [row] = await db.insert(members).values(member).returning({ id: members.id, roles: members.roles });
  return row ?? null;
}

/** A member for a Slack user, unless one exists already (null then). */
export async function insertSlackMember(db: Db, member: MemberInsert): Promise<string | null> {
  const [row] = await db
    .insert(members)
    .values(member)
    .onConflictDoNothing({ target: [members.workspaceId, members.slackUserId] })
    .returning({ id: members.id });
  return row?.id ?? null;
}

export async function setMemberEmail(db: Db, memberId: string, email: string): Promise<void> {
  await db.update(members).set({ email }).where(eq(members.id, memberId));
}

/** Gives the member this Slack id unless it has one already: false when another request was first. */
export async function linkMemberToSlackUser(db: Db, memberId: string, slackUserId: string): Promise<boolean> {
  const linked = await db
    .update(members)
    .set({ slackUserId })
    .where(and(eq(members.id, memberId), isNull(members.slackUserId)))
    .returning({ id: members.id });
  return linked.length > 0;
}

export async function setMemberRoles(db: Db, memberId: string, roles: Role[]): Promise<void> {
  await db.update(members).set({ roles }).where(eq(members.id, memberId));
}

/** Adds the admin role: false when the member had it already. */
export async function grantAdmin(db: Db, memberId: string): Promise<boolean> {
  const promoted = await db
    .update(members)
    .set({ roles: sql`array_append(${members.roles}, 'admin')` })
    .where(and(eq(members.id, memberId), sql`not ('admin' = any(${members.roles}))`))
    .returning({ id: members.id });
  return promoted.length > 0;
}

/** True while nobody is admin: the first person to open setup configures the workspace. */
export async function workspaceHasAdmin(db: Db, workspaceId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), sql`'admin' = any(${members.roles})`));
  return (row?.n ?? 0) > 0;
}

/** The Slack ids of a few admins: whom a stranger is told to ask. */
export async function findAdminSlackUserIds(db: Db, workspaceId: string): Promise<string[]> {
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
  return admins.flatMap((admin) => (admin.slackUserId ? [admin.slackUserId] : []));
}

/** The members known in Slack, with their roles (the setup modal's role pickers). */
export function listSlackMembers(
  db: Db,
  workspaceId: string,
): Promise<{ id: string; slackUserId: string | null; roles: Role[] }[]> {
  return db
    .select({ id: members.id, slackUserId: members.slackUserId, roles: members.roles })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), isNotNull(members.slackUserId)));
}

/** Which of these Slack users are members already. */
export async function findKnownSlackUsers(
  db: Db,
  workspaceId: string,
  slackUserIds: string[],
): Promise<string[]> {
  const rows = await db
    .select({ slackUserId: members.slackUserId })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), inArray(members.slackUserId, slackUserIds)));
  return rows.flatMap((row) => (row.slackUserId ? [row.slackUserId] : []));
}

/** The member named by Slack user id or e-mail (any of its two spellings), locked for a change. */
export async function lockMemberLanguage(
  db: Db,
  workspaceId: string,
  who: { slackUserId: string } | { email: string },
): Promise<{ id: string; language: Locale | null; slackLanguage: Locale | null } | null> {
  const match =
    "slackUserId" in who
      ? eq(members.slackUserId, who.slackUserId)
      : or(eq(members.email, who.email.trim().toLowerCase()), eq(members.email, who.email.trim()));
  const [row] = await db
    .select({ id: members.id, language: members.language, slackLanguage: members.slackLanguage })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), match))
    .for("update");
  return row ?? null;
}

export async function setMemberLanguageRow(db: Db, memberId: string, language: Locale | null): Promise<void> {
  await db.update(members).set({ language }).where(eq(members.id, memberId));
}

export async function setMemberSlackLanguage(db: Db, memberId: string, language: Locale): Promise<void> {
  await db.update(members).set({ slackLanguage: language }).where(eq(members.id, memberId));
}

/**
 * The languages known for a reader: the workspace's, and the member's choice and last-seen Slack
 * language when the member (by id or by Slack user id) exists.
 */
export async function findReaderLanguages(
  db: Db,
  workspaceId: string,
  member: { id: string | null } | { slackUserId: string | undefined },
): Promise<{
  workspaceLocale: Locale;
  memberId: string | null;
  chosen: Locale | null;
  seen: Locale | null;
} | null> {
  const memberMatch =
    "id" in member
      ? eq(members.id, member.id ?? sql`null`)
      : eq(members.slackUserId, member.slackUserId ?? sql`null`);
  const [row] = await db
    .select({
      workspaceLocale: workspaces.locale,
      memberId: members.id,
      chosen: members.language,
      seen: members.slackLanguage,
    })
    .from(workspaces)
    .leftJoin(members, and(eq(members.workspaceId, workspaces.id), memberMatch))
    .where(eq(workspaces.id, workspaceId));
  return row ?? null;
}
