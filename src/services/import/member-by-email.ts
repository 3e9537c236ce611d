// The member an import row names by e-mail (a PM, an approver, a collector), created with that
// role when the workspace does not know them yet; people are linked to Slack users later.
import { and, eq } from "drizzle-orm";
import { members } from "../../db/schema/index.ts";
import type { Role } from "../../domain/permissions.ts";
import type { Context } from "./context.ts";

export type MemberCache = Map<string, { id: string; roles: Role[] }>;

export async function memberByEmail(
  ctx: Context,
  email: string,
  role: Role,
  cache: MemberCache,
): Promise<string> {
  let member = cache.get(email);
  if (!member) {
    const [found] = await ctx.tx
      .select({ id: members.id, roles: members.roles })
      .from(members)
      .where(and(eq(members.workspaceId, ctx.workspaceId), eq(members.email, email)));
    if (found) member = found;
    else {
      const [created] = await ctx.tx
        .insert(members)
        .values({ workspaceId: ctx.workspaceId, email, name: email.split("@")[0] ?? email, roles: [role] })
        .returning({ id: members.id, roles: members.roles });
      member = created!;
      ctx.membersCreated += 1;
    }
    cache.set(email, member);
  }
  if (!member.roles.includes(role)) {
    member.roles = [...member.roles, role];
    await ctx.tx.update(members).set({ roles: member.roles }).where(eq(members.id, member.id));
  }
  return member.id;
}
