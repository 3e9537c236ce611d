// The language Cobro speaks to a Slack user: the one they chose (`/cobro language`), else their
// Slack language (remembered on their member row for DMs sent later), else the workspace's. The app's
// middleware asks it for every request, before the actor is known, so it takes deps, not a ctx.
import type { ServiceDeps } from "../context.ts";
import { DEFAULT_LOCALE, type Locale, localeFromTag } from "../i18n/index.ts";
import { findReaderLanguages, setMemberSlackLanguage } from "./members-repo.ts";

export type ReaderLocale = {
  /** What the database knows at once: their choice, their Slack language as last seen, the workspace's. */
  known: Locale;
  /** Asks Slack (users.info, cached) when they chose none, remembers it, and says the language to use. */
  ask: () => Promise<Locale>;
};

export async function resolveReaderLocale(
  deps: Pick<ServiceDeps, "db" | "logger">,
  input: {
    workspaceId: string;
    slackUserId: string | undefined;
    slackLocale: () => Promise<string | null>;
  },
): Promise<ReaderLocale> {
  const row = await findReaderLanguages(deps.db, input.workspaceId, { slackUserId: input.slackUserId });
  if (!row) return { known: DEFAULT_LOCALE, ask: async () => DEFAULT_LOCALE };
  const known = row.chosen ?? row.seen ?? row.workspaceLocale;
  if (row.chosen || !input.slackUserId) return { known, ask: async () => known };
  const slackUserId = input.slackUserId;
  return {
    known,
    ask: async () => {
      let fromSlack: Locale | null = null;
      try {
        fromSlack = localeFromTag(await input.slackLocale());
      } catch (error) {
        deps.logger.warn(
          { err: error, slackUserId },
          "could not ask Slack for the user's language: the one Cobro knew is used",
        );
      }
      if (fromSlack && row.memberId && fromSlack !== row.seen) {
        await setMemberSlackLanguage(deps.db, row.memberId, fromSlack);
      }
      return fromSlack ?? known;
    },
  };
}
