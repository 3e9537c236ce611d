// The ids the local console made up in a workspace tried there before Slack was connected: when the
// real team takes the workspace over, its members are linked again by e-mail on their first request,
// and its projects' and settings' channels are chosen again (`/cobro link`, `/cobro setup`).
import { and, eq, inArray, like, or, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "../db/client.ts";
import { members, projects, workspaces } from "../db/schema/index.ts";

type ConsoleIds = { user: string; channel: string; billing: string; collections: string };

export async function forgetConsoleIds(db: Db, workspaceId: string, ids: ConsoleIds): Promise<void> {
  const isConsoleChannel = (column: PgColumn): SQL =>
    or(like(column, `${ids.channel}%`), inArray(column, [ids.billing, ids.collections])) ?? sql`false`;
  const unlessConsole = (column: PgColumn) =>
    sql`case when ${isConsoleChannel(column)} then null else ${column} end`;
  await db
    .update(members)
    .set({ slackUserId: null })
    .where(and(eq(members.workspaceId, workspaceId), like(members.slackUserId, `${ids.user}%`)));
  await db
    .update(projects)
    .set({ slackChannelId: null })
    .where(and(eq(projects.workspaceId, workspaceId), isConsoleChannel(projects.slackChannelId)));
  await db
    .update(workspaces)
    .set({
      billingChannelId: unlessConsole(workspaces.billingChannelId),
      collectionsChannelId: unlessConsole(workspaces.collectionsChannelId),
    })
    .where(eq(workspaces.id, workspaceId));
}
