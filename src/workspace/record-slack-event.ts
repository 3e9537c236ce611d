// Remembers an Events API event_id; false when it was already seen (a Slack retry).
import type { Db } from "../db/client.ts";
import { slackEventsSeen } from "../db/schema/index.ts";

export async function recordSlackEvent(db: Db, eventId: string): Promise<boolean> {
  const rows = await db
    .insert(slackEventsSeen)
    .values({ eventId })
    .onConflictDoNothing()
    .returning({ eventId: slackEventsSeen.eventId });
  return rows.length === 1;
}
