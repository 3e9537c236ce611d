// The member named by e-mail (a PM, an approver, a collector, in a CSV or a Slack form), created
// with that role when the workspace does not know them yet; people are linked to Slack users later.

import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members } from "../db/schema/index.ts";
import type { Role } from "../domain/permissions.ts";
import { present } from "../domain/present.ts";

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
    const [found] = await db
      .select({ id: members.id, roles: members.roles })
      .from(members)
      .where(and(eq(members.workspaceId, workspaceId), eq(members.email, email)));
    if (found) member = found;
    else {
      const [inserted] = await db
        .insert(members)
        .values({ workspaceId, email, name: email.split("@")[0] ?? email, roles: [role] })
        .returning({ id: members.id, roles: members.roles });
      member = present(inserted, "new member");
      created = true;
    }
    cache.set(email, member);
  }
  if (!member.roles.includes(role)) {
    member.roles = [...member.roles, role];
    await db.update(members).set({ roles: member.roles }).where(eq(members.id, member.id));
  }
  return { id: member.id, created };
}
