// The ids the local console made up in a workspace tried there before Slack was connected: when the
// real team takes the workspace over, its members are linked again by e-mail on their first request
// and its projects' channels are linked again with `/cobro link`.
import { and, eq, inArray, like, or } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members, projects } from "../db/schema/index.ts";

type ConsoleIds = { user: string; channel: string; billing: string; collections: string };

export async function forgetConsoleIds(db: Db, workspaceId: string, ids: ConsoleIds): Promise<void> {
  await db
    .update(members)
    .set({ slackUserId: null })
    .where(and(eq(members.workspaceId, workspaceId), like(members.slackUserId, `${ids.user}%`)));
  await db
    .update(projects)
    .set({ slackChannelId: null })
    .where(
      and(
        eq(projects.workspaceId, workspaceId),
        or(
          like(projects.slackChannelId, `${ids.channel}%`),
          inArray(projects.slackChannelId, [ids.billing, ids.collections]),
        ),
      ),
    );
}
