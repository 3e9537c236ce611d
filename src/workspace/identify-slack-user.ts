// Who acts in a Slack request and the language they read, found once per request by the app's
// middleware. Who: the member with this Slack id, else the one with their Slack e-mail (linked now,
// once, audited: the PM imported with pm_email is then recognised as that PM; never two members for
// one person), else a stranger who is told whom to ask. Their language: the one they chose
// (`/cobro language`), else their Slack language (remembered on their member row for DMs sent later),
// else the workspace's. It makes the actor, so it runs before one exists: it takes the db (and the
// caller's transaction), not a ctx.

import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import type { SlackActor } from "../domain/permissions.ts";
import type { Role } from "../domain/roles.ts";
import { DEFAULT_LOCALE, type Locale, localeFromTag } from "../i18n/index.ts";
import type { Logger } from "../logger.ts";
import {
  findAdminSlackUserIds,
  findMemberByLowerEmail,
  findMemberBySlackUser,
  findReaderLanguages,
  linkMemberToSlackUser,
  setMemberEmail,
  setMemberSlackLanguage,
} from "./members-repo.ts";
import { resolveActor } from "./resolve-actor.ts";

export type ReaderLocale = {
  /** What the database knows at once: their choice, their Slack language as last seen, the workspace's. */
  known: Locale;
  /** Asks Slack (users.info, cached) when they chose none, remembers it, and says the language to use. */
  ask: () => Promise<Locale>;
};

type SlackUserToIdentify = {
  workspaceId: string;
  /** Absent when the request names no user (some events): the reader is then the workspace. */
  slackUserId: string | undefined;
  /**
   * What Slack says of the user (users.info, cached), asked only when needed: the e-mail when the
   * member is not known with one already, the language when they chose none. Null when Slack cannot
   * be asked (no team on the request): the actor is then left unknown.
   */
  profile: (() => Promise<{ email: string | null; locale: string | null }>) | null;
  reason: string;
};

export type IdentifiedSlackUser = { actor: SlackActor | undefined; locale: ReaderLocale };

/**
 * With a logger (the app's middleware), a failed link is logged and the request served as whoever
 * their Slack id is (linked on a later one); without one (a caller's transaction), it fails the caller.
 */
type IdentifyDeps = { db: Db; logger?: Logger | undefined };

export async function identifySlackUser(
  deps: IdentifyDeps,
  input: SlackUserToIdentify,
): Promise<IdentifiedSlackUser> {
  const { db, logger } = deps;
  const { workspaceId, slackUserId, profile } = input;
  let actor: SlackActor | undefined;
  if (slackUserId && profile) {
    const emailOf = async () => (await profile()).email;
    try {
      actor = await actorOf(db, { ...input, slackUserId, emailOf });
    } catch (error) {
      if (!logger) throw error;
      logger.warn({ err: error, userId: slackUserId }, "could not link the Slack user to a member");
      actor = await resolveActor(db, workspaceId, slackUserId);
    }
  }
  return { actor, locale: await readerLocale(deps, input) };
}

async function actorOf(db: Db, input: SlackUserToLink): Promise<SlackActor> {
  const link = await linkSlackMember(db, input);
  const { slackUserId } = input;
  if (link.status !== "unknown") {
    return { kind: "member", memberId: link.memberId, slackUserId, roles: link.roles };
  }
  const adminSlackUserIds = await findAdminSlackUserIds(db, input.workspaceId);
  return {
    kind: "stranger",
    memberId: null,
    slackUserId,
    roles: [],
    stranger: { email: link.email, adminSlackUserIds },
  };
}

/** The member found or linked comes with their roles: who acts is then known without asking again. */
type LinkSlackMemberResult =
  | { status: "known"; memberId: string; roles: readonly Role[] }
  | { status: "linked"; memberId: string; roles: readonly Role[] }
  /** No member has that e-mail (or Slack gave none): the user is a stranger to Cobro. */
  | { status: "unknown"; email: string | null };

type SlackUserToLink = {
  workspaceId: string;
  slackUserId: string;
  /** Asked only when the member is not known with an e-mail already (a Web API call). */
  emailOf: () => Promise<string | null>;
  reason: string;
};

async function linkSlackMember(db: Db, input: SlackUserToLink): Promise<LinkSlackMemberResult> {
  const known = await findMemberBySlackUser(db, input.workspaceId, input.slackUserId);
  if (known?.email) return { status: "known", memberId: known.id, roles: known.roles };
  const email = (await input.emailOf())?.trim().toLowerCase() || null;
  if (!email)
    return known ? { status: "known", memberId: known.id, roles: known.roles } : { status: "unknown", email };
  return db.transaction(async (tx) => {
    const bySlack = await findMemberBySlackUser(tx, input.workspaceId, input.slackUserId);
    if (bySlack?.email) return { status: "known", memberId: bySlack.id, roles: bySlack.roles };
    const byEmail = await findMemberByLowerEmail(tx, input.workspaceId, email);
    if (bySlack) {
      // Known from setup's role pickers without an e-mail: it gets one, unless someone else has it.
      if (byEmail) return { status: "known", memberId: bySlack.id, roles: bySlack.roles };
      await setMemberEmail(tx, bySlack.id, email);
      await audit(tx, input, bySlack.id, { email });
      return { status: "linked", memberId: bySlack.id, roles: bySlack.roles };
    }
    if (!byEmail || byEmail.slackUserId) return { status: "unknown", email };
    // Another request of the same user linked it a moment ago.
    if (!(await linkMemberToSlackUser(tx, byEmail.id, input.slackUserId)))
      return { status: "known", memberId: byEmail.id, roles: byEmail.roles };
    await audit(tx, input, byEmail.id, { slackUserId: input.slackUserId });
    return { status: "linked", memberId: byEmail.id, roles: byEmail.roles };
  });
}

function audit(
  tx: Db,
  input: { workspaceId: string; slackUserId: string; reason: string },
  memberId: string,
  after: Record<string, string>,
) {
  return recordAudit(tx, {
    workspaceId: input.workspaceId,
    actor: `slack:${input.slackUserId}`,
    action: "member.slack_linked",
    entity: "member",
    entityId: memberId,
    before: null,
    after: { ...after, reason: input.reason },
  });
}

/** The reader's language: see the header; asking Slack waits for a listener that replies. */
async function readerLocale(deps: IdentifyDeps, input: SlackUserToIdentify): Promise<ReaderLocale> {
  const row = await findReaderLanguages(deps.db, input.workspaceId, { slackUserId: input.slackUserId });
  if (!row) return { known: DEFAULT_LOCALE, ask: async () => DEFAULT_LOCALE };
  const known = row.chosen ?? row.seen ?? row.workspaceLocale;
  const { slackUserId, profile } = input;
  if (row.chosen || !slackUserId) return { known, ask: async () => known };
  return {
    known,
    ask: async () => {
      let fromSlack: Locale | null = null;
      try {
        fromSlack = localeFromTag(profile ? (await profile()).locale : null);
      } catch (error) {
        deps.logger?.warn(
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
