// The language of a DM to a member, sent when they are not asking: their choice, else their Slack
// language as last seen, else the workspace's.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members, workspaces } from "../db/schema/index.ts";
import { DEFAULT_LOCALE, type Locale } from "../i18n/index.ts";

export async function memberLocale(db: Db, workspaceId: string, memberId: string | null): Promise<Locale> {
  const [row] = await db
    .select({ workspaceLocale: workspaces.locale, chosen: members.language, seen: members.slackLanguage })
    .from(workspaces)
    .leftJoin(members, and(eq(members.workspaceId, workspaces.id), eq(members.id, memberId ?? sql`null`)))
    .where(eq(workspaces.id, workspaceId));
  if (!row) return DEFAULT_LOCALE;
  return row.chosen ?? row.seen ?? row.workspaceLocale;
}
