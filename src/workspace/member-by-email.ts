// The member named by e-mail (a PM, an approver, a collector, in a CSV or a Slack form), created
// with that role when the workspace does not know them yet; people are linked to Slack users later.
// A step of other verbs (inside their transaction and permission check), so it takes their db.
import type { Db } from "../db/client.ts";
import { present } from "../domain/errors.ts";
import type { Role } from "../domain/permissions.ts";
import { findMemberByEmail, insertMember, setMemberRoles } from "./members-repo.ts";

export type MemberCache = Map<string, { id: string; roles: Role[] }>;

export async function memberByEmail(
  db: Db,
  workspaceId: string,
  email: string,
  role: Role,
  cache: MemberCache = new Map(),
): Promise<{ id: string; created: boolean }> {
  let member = cache.get(email);
  let created = false;
  if (!member) {
    const found = await findMemberByEmail(db, workspaceId, email);
    if (found) member = found;
    else {
      const inserted = await insertMember(db, {
        workspaceId,
        email,
        name: email.split("@")[0] ?? email,
        roles: [role],
      });
      member = present(inserted, "new member");
      created = true;
    }
    cache.set(email, member);
  }
  if (!member.roles.includes(role)) {
    member.roles = [...member.roles, role];
    await setMemberRoles(db, member.id, member.roles);
  }
  return { id: member.id, created };
}
