// A member's choice of the language Cobro speaks to them in Slack (`/cobro language`, the CLI);
// null goes back to their Slack language.
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { DomainError } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import type { Locale } from "../i18n/index.ts";
import { lockMemberLanguage, setMemberLanguageRow } from "./members-repo.ts";

export async function setMemberLanguage(
  ctx: Ctx,
  input: {
    /** The member, by Slack user id (Slack) or e-mail (CLI). */
    who: { slackUserId: string } | { email: string };
    language: Locale | null;
  },
): Promise<{ memberId: string; language: Locale | null; slackLanguage: Locale | null }> {
  // Anyone may choose their own language; someone else's is a setting of the workspace.
  const own =
    "slackUserId" in input.who &&
    "slackUserId" in ctx.actor &&
    ctx.actor.slackUserId === input.who.slackUserId;
  if (!own) assertAllowed(ctx.actor, { action: "configure" });
  return ctx.db.transaction(async (tx) => {
    const member = await lockMemberLanguage(tx, ctx.workspaceId, input.who);
    if (!member) {
      throw new DomainError("member.not_found", "no such member", {
        userMessage:
          "slackUserId" in input.who
            ? "Cobro does not know you as a member of this workspace yet, so it cannot remember your language: ask an admin to add you."
            : `No member has the e-mail ${input.who.email}: \`cobro import people\` adds members.`,
        ...("slackUserId" in input.who ? { messageKey: "language.not_a_member" } : {}),
      });
    }
    if (member.language !== input.language) {
      await setMemberLanguageRow(tx, member.id, input.language);
      await recordAudit(tx, {
        workspaceId: ctx.workspaceId,
        actor: auditActorOf(ctx.actor),
        action: "member.language_set",
        entity: "member",
        entityId: member.id,
        before: { language: member.language },
        after: { language: input.language },
      });
    }
    return { memberId: member.id, language: input.language, slackLanguage: member.slackLanguage };
  });
}
