// The language of a post Cobro sends on its own: a channel is read in the workspace's language, a DM
// (to a Slack user id) in its member's (their choice, else their Slack language as last seen).
// A lookup for delivery handlers (no actor), on their db.
import type { Db } from "../db/client.ts";
import { DEFAULT_LOCALE, type Locale } from "../i18n/index.ts";
import { findReaderLanguages } from "./members-repo.ts";

/** Slack ids of public and private channels (C…, G…); anything else is a person's DM. */
const isChannel = (target: string) => /^[CG]/.test(target);

export async function readerLocaleOf(db: Db, workspaceId: string, target: string): Promise<Locale> {
  const reader = target === "" || isChannel(target) ? { id: null } : { slackUserId: target };
  const row = await findReaderLanguages(db, workspaceId, reader);
  if (!row) return DEFAULT_LOCALE;
  return row.chosen ?? row.seen ?? row.workspaceLocale;
}
