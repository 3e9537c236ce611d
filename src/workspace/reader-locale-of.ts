// The language of a post Cobro sends on its own: a channel is read in the workspace's language, a DM
// (to a Slack user id) in its member's (their choice, else their Slack language as last seen).
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members } from "../db/schema/index.ts";
import type { Locale } from "../i18n/index.ts";
import { memberLocale } from "./member-locale.ts";

/** Slack ids of public and private channels (C…, G…); anything else is a person's DM. */
const isChannel = (target: string) => /^[CG]/.test(target);

export async function readerLocaleOf(db: Db, workspaceId: string, target: string): Promise<Locale> {
  if (target === "" || isChannel(target)) return memberLocale(db, workspaceId, null);
  const [member] = await db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.slackUserId, target)))
    .limit(1);
  return memberLocale(db, workspaceId, member?.id ?? null);
}
