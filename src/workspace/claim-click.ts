// A click whose effect must happen once (a copy posted in a channel, a file sent): claimed before
// acting, so a double click or Slack's retry does nothing; released when the effect failed, so
// the user can click again once the cause is fixed. Claims share the pruned event dedupe table.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { slackEventsSeen } from "../db/schema/index.ts";
import { recordSlackEvent } from "./record-slack-event.ts";

export async function claimClick(
  db: Db,
  key: string,
): Promise<{ claimed: boolean; release: () => Promise<void> }> {
  const id = `click:${key}`;
  const claimed = await recordSlackEvent(db, id);
  return {
    claimed,
    release: async () => {
      if (claimed) await db.delete(slackEventsSeen).where(eq(slackEventsSeen.eventId, id));
    },
  };
}
