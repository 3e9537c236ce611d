// A click whose effect must happen once (a copy posted in a channel, a file sent): claimed before
// acting, so a double click or Slack's retry does nothing; released when the effect failed, so
// the user can click again once the cause is fixed. Claims share the pruned event dedupe table.
// A building block of the verbs that claim (aging's share and export), not a verb: it takes their db.
import type { Db } from "../db/client.ts";
import { deleteSlackEventSeen, recordSlackEvent } from "./slack-events-repo.ts";

export async function claimClick(
  db: Db,
  key: string,
): Promise<{ claimed: boolean; release: () => Promise<void> }> {
  const id = `click:${key}`;
  const claimed = await recordSlackEvent(db, id);
  return {
    claimed,
    release: async () => {
      if (claimed) await deleteSlackEventSeen(db, id);
    },
  };
}
