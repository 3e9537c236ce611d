// Who acts in a Slack request, found once per request by the app's middleware: the member with this
// Slack id, else the one with their Slack e-mail (linked now, once, audited: the PM imported with
// pm_email is then recognised as that PM; never two members for one person), else a stranger who is
// told whom to ask. It makes the actor, so it runs before one exists: it takes the db (and the
// caller's transaction), not a ctx.
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import type { SlackActor } from "../domain/permissions.ts";
import type { Role } from "../domain/roles.ts";
import {
  findAdminSlackUserIds,
  findMemberByLowerEmail,
  findMemberBySlackUser,
  linkMemberToSlackUser,
  setMemberEmail,
} from "./members-repo.ts";

type SlackUserToIdentify = {
  workspaceId: string;
  slackUserId: string;
  /** Asked only when the member is not known with an e-mail already (a Web API call). */
  emailOf: () => Promise<string | null>;
  reason: string;
};

export async function identifySlackUser(db: Db, input: SlackUserToIdentify): Promise<SlackActor> {
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

async function linkSlackMember(db: Db, input: SlackUserToIdentify): Promise<LinkSlackMemberResult> {
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
