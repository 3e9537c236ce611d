// The language Cobro speaks to a Slack user: the one they chose (`/cobro language`), else their
// Slack language (remembered on their member row for DMs sent later), else the workspace's.
import { and, eq, sql } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { members, workspaces } from "../db/schema/index.ts";
import { DEFAULT_LOCALE, type Locale, localeFromTag } from "../i18n/index.ts";

export async function resolveReaderLocale(
  deps: Pick<ServiceDeps, "db" | "logger">,
  input: {
    workspaceId: string;
    slackUserId: string | undefined;
    /** Asks Slack (users.info, cached): only called when the member chose no language. */
    slackLocale: () => Promise<string | null>;
  },
): Promise<Locale> {
  const [row] = await deps.db
    .select({
      workspaceLocale: workspaces.locale,
      memberId: members.id,
      chosen: members.language,
      seen: members.slackLanguage,
    })
    .from(workspaces)
    .leftJoin(
      members,
      and(eq(members.workspaceId, workspaces.id), eq(members.slackUserId, input.slackUserId ?? sql`null`)),
    )
    .where(eq(workspaces.id, input.workspaceId));
  if (!row) return DEFAULT_LOCALE;
  if (row.chosen) return row.chosen;
  if (!input.slackUserId) return row.workspaceLocale;
  let fromSlack: Locale | null = null;
  try {
    fromSlack = localeFromTag(await input.slackLocale());
  } catch (error) {
    deps.logger.warn(
      { err: error, slackUserId: input.slackUserId },
      "could not ask Slack for the user's language: the workspace language is used",
    );
  }
  if (fromSlack && row.memberId && fromSlack !== row.seen) {
    await deps.db.update(members).set({ slackLanguage: fromSlack }).where(eq(members.id, row.memberId));
  }
  return fromSlack ?? row.seen ?? row.workspaceLocale;
}
