// A member's choice of the language Cobro speaks to them in Slack (`/cobro language`, the CLI);
// null goes back to their Slack language.
import { and, eq, or } from "drizzle-orm";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { members } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import type { Locale } from "../i18n/index.ts";

export async function setMemberLanguage(
  db: Db,
  input: {
    workspaceId: string;
    /** The member, by Slack user id (Slack) or e-mail (CLI). */
    who: { slackUserId: string } | { email: string };
    language: Locale | null;
    actor: string;
  },
): Promise<{ memberId: string; language: Locale | null; slackLanguage: Locale | null }> {
  return db.transaction(async (tx) => {
    const match =
      "slackUserId" in input.who
        ? eq(members.slackUserId, input.who.slackUserId)
        : or(
            eq(members.email, input.who.email.trim().toLowerCase()),
            eq(members.email, input.who.email.trim()),
          );
    const [member] = await tx
      .select({ id: members.id, language: members.language, slackLanguage: members.slackLanguage })
      .from(members)
      .where(and(eq(members.workspaceId, input.workspaceId), match))
      .for("update");
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
      await tx.update(members).set({ language: input.language }).where(eq(members.id, member.id));
      await recordAudit(tx, {
        workspaceId: input.workspaceId,
        actor: input.actor,
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
