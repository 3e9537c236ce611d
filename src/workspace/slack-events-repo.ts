// Rows of slack_events_seen (Events API dedupe, and the claims of clicks).
import { eq, lt } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { slackEventsSeen } from "../db/schema/index.ts";

/** Remembers an Events API event_id; false when it was already seen (a Slack retry). */
export async function recordSlackEvent(db: Db, eventId: string): Promise<boolean> {
  const rows = await db
    .insert(slackEventsSeen)
    .values({ eventId })
    .onConflictDoNothing()
    .returning({ eventId: slackEventsSeen.eventId });
  return rows.length === 1;
}

export async function deleteSlackEventSeen(db: Db, eventId: string): Promise<void> {
  await db.delete(slackEventsSeen).where(eq(slackEventsSeen.eventId, eventId));
}

export async function deleteSlackEventsSeenBefore(db: Db, cutoff: Date): Promise<number> {
  const deleted = await db
    .delete(slackEventsSeen)
    .where(lt(slackEventsSeen.seenAt, cutoff))
    .returning({ eventId: slackEventsSeen.eventId });
  return deleted.length;
}
