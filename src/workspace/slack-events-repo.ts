// Rows of slack_events_seen (Events API dedupe).
import { lt } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { slackEventsSeen } from "../db/schema/index.ts";

export async function deleteSlackEventsSeenBefore(db: Db, cutoff: Date): Promise<number> {
  const deleted = await db
    .delete(slackEventsSeen)
    .where(lt(slackEventsSeen.seenAt, cutoff))
    .returning({ eventId: slackEventsSeen.eventId });
  return deleted.length;
}
