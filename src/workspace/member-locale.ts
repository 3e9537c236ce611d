// The language of a DM to a member, sent when they are not asking: their choice, else their Slack
// language as last seen, else the workspace's. A lookup for delivery handlers (no actor), on their db.
import type { Db } from "../db/client.ts";
import { DEFAULT_LOCALE, type Locale } from "../i18n/index.ts";
import { findReaderLanguages } from "./members-repo.ts";

export async function memberLocale(db: Db, workspaceId: string, memberId: string | null): Promise<Locale> {
  const row = await findReaderLanguages(db, workspaceId, { id: memberId });
  if (!row) return DEFAULT_LOCALE;
  return row.chosen ?? row.seen ?? row.workspaceLocale;
}
