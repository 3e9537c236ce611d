// The member row of a Slack user: the one with their Slack id, else the one with their Slack e-mail
// (linked now), else a new one without roles. Identifies a Slack user before any actor exists (setup's
// role pickers, the installer), so it takes the caller's transaction rather than a ctx.
import type { Db } from "../db/client.ts";
import { present } from "../domain/errors.ts";
import { identifySlackUser } from "./identify-slack-user.ts";
import { findMemberByLowerEmail, findMemberBySlackUser, insertSlackMember } from "./members-repo.ts";

export async function ensureMember(
  db: Db,
  workspaceId: string,
  slackUserId: string,
  known: { name?: string | null; email?: string | null; reason?: string } = {},
): Promise<string> {
  const email = known.email?.trim().toLowerCase() || null;
  if (email) {
    const { actor } = await identifySlackUser(
      { db },
      {
        workspaceId,
        slackUserId,
        profile: async () => ({ email, locale: null }),
        reason: known.reason ?? "named in Slack",
      },
    );
    if (actor?.kind === "member") return actor.memberId;
  }
  const taken = email ? await findMemberByLowerEmail(db, workspaceId, email) : null;
  const inserted = await insertSlackMember(db, {
    workspaceId,
    slackUserId,
    email: taken ? null : email,
    name: known.name?.trim() || slackUserId,
    roles: [],
  });
  if (inserted) return inserted;
  return present(await findMemberBySlackUser(db, workspaceId, slackUserId), `member ${slackUserId}`).id;
}
