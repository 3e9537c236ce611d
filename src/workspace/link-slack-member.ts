// A Slack user who acts is linked, once, to the member with their Slack e-mail (any case): the PM
// imported with pm_email is then recognised as that PM. Audited; never two members for one person.
import { and, eq, isNull, sql } from "drizzle-orm";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { members } from "../db/schema/index.ts";
import type { Role } from "../domain/roles.ts";

/** The member found or linked comes with their roles: who acts is then known without asking again. */
export type LinkSlackMemberResult =
  | { status: "known"; memberId: string; roles: readonly Role[] }
  | { status: "linked"; memberId: string; roles: readonly Role[] }
  /** No member has that e-mail (or Slack gave none): the user is a stranger to Cobro. */
  | { status: "unknown"; email: string | null };

export async function linkSlackMember(
  db: Db,
  input: {
    workspaceId: string;
    slackUserId: string;
    /** Asked only when the member is not known with an e-mail already (a Web API call). */
    emailOf: () => Promise<string | null>;
    reason: string;
  },
): Promise<LinkSlackMemberResult> {
  const [known] = await db
    .select({ id: members.id, email: members.email, roles: members.roles })
    .from(members)
    .where(and(eq(members.workspaceId, input.workspaceId), eq(members.slackUserId, input.slackUserId)));
  if (known?.email) return { status: "known", memberId: known.id, roles: known.roles };
  const email = (await input.emailOf())?.trim().toLowerCase() || null;
  if (!email)
    return known ? { status: "known", memberId: known.id, roles: known.roles } : { status: "unknown", email };
  return db.transaction(async (tx) => {
    const [bySlack] = await tx
      .select({ id: members.id, email: members.email, roles: members.roles })
      .from(members)
      .where(and(eq(members.workspaceId, input.workspaceId), eq(members.slackUserId, input.slackUserId)));
    if (bySlack?.email) return { status: "known", memberId: bySlack.id, roles: bySlack.roles };
    const [byEmail] = await tx
      .select({ id: members.id, slackUserId: members.slackUserId, roles: members.roles })
      .from(members)
      .where(and(eq(members.workspaceId, input.workspaceId), sql`lower(${members.email}) = ${email}`));
    if (bySlack) {
      // Known from setup's role pickers without an e-mail: it gets one, unless someone else has it.
      if (byEmail) return { status: "known", memberId: bySlack.id, roles: bySlack.roles };
      await tx.update(members).set({ email }).where(eq(members.id, bySlack.id));
      await audit(tx, input, bySlack.id, { email });
      return { status: "linked", memberId: bySlack.id, roles: bySlack.roles };
    }
    if (!byEmail || byEmail.slackUserId) return { status: "unknown", email };
    const linked = await tx
      .update(members)
      .set({ slackUserId: input.slackUserId })
      .where(and(eq(members.id, byEmail.id), isNull(members.slackUserId)))
      .returning({ id: members.id });
    // Another request of the same user linked it a moment ago.
    if (linked.length === 0) return { status: "known", memberId: byEmail.id, roles: byEmail.roles };
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
