// The console's workspace: bound to the console's Slack team (the one unbound workspace, e.g. made by
// `cobro demo`, or a new one), with the console's #billing and #collections as its channels when it
// has none yet, so the day's scan and the invoices have somewhere to post.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { workspaces } from "../db/schema/index.ts";
import { ensureSlackWorkspace } from "../workspace/ensure-slack-workspace.ts";
import { CONSOLE_CHANNELS, CONSOLE_TEAM_ID } from "./directory.ts";

export async function prepareConsoleWorkspace(db: Db): Promise<string> {
  const { workspaceId } = await ensureSlackWorkspace(db, { teamId: CONSOLE_TEAM_ID, name: "Cobro console" });
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  if (row && (!row.billingChannelId || !row.collectionsChannelId)) {
    await db
      .update(workspaces)
      .set({
        billingChannelId: row.billingChannelId ?? CONSOLE_CHANNELS.billing,
        collectionsChannelId: row.collectionsChannelId ?? CONSOLE_CHANNELS.collections,
      })
      .where(eq(workspaces.id, workspaceId));
  }
  return workspaceId;
}
