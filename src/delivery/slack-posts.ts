// The Slack messages Cobro posted about a subject (invoice, timesheet, ...): where its thread lives.
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { slackMessages } from "../db/schema/index.ts";

export async function findPosts(db: Db, workspaceId: string, subjectType: string, subjectId: string) {
  return db
    .select({ channelId: slackMessages.channelId, ts: slackMessages.ts })
    .from(slackMessages)
    .where(
      and(
        eq(slackMessages.workspaceId, workspaceId),
        eq(slackMessages.subjectType, subjectType),
        eq(slackMessages.subjectId, subjectId),
      ),
    );
}

export async function recordPost(
  db: Db,
  row: { workspaceId: string; subjectType: string; subjectId: string; channelId: string; ts: string },
) {
  await db.insert(slackMessages).values(row).onConflictDoNothing();
}
