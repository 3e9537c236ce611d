import { and, eq } from "drizzle-orm";
import { members, projects } from "../../db/schema/index.ts";
import { type Context, type Handler, minorOrError, type Outcome } from "./context.ts";
import { clientsByExternalId, projectsByCode, rejectUnknownClient } from "./lookups.ts";
import { upsertImported } from "./upsert-imported.ts";

async function memberForPm(ctx: Context, email: string, cache: Map<string, string>): Promise<string> {
  const cached = cache.get(email);
  if (cached) return cached;
  const [found] = await ctx.tx
    .select()
    .from(members)
    .where(and(eq(members.workspaceId, ctx.workspaceId), eq(members.email, email)));
  let id: string;
  if (found) {
    id = found.id;
    if (!found.roles.includes("pm")) {
      await ctx.tx
        .update(members)
        .set({ roles: [...found.roles, "pm"] })
        .where(eq(members.id, found.id));
    }
  } else {
    const [created] = await ctx.tx
      .insert(members)
      .values({ workspaceId: ctx.workspaceId, email, name: email.split("@")[0] ?? email, roles: ["pm"] })
      .returning({ id: members.id });
    id = created!.id;
    ctx.membersCreated += 1;
  }
  cache.set(email, id);
  return id;
}

export const importProjects: Handler<"projects"> = async (ctx, rows) => {
  const clientMap = await clientsByExternalId(
    ctx,
    rows.map((r) => r.clientExternalId),
  );
  const existing = await projectsByCode(
    ctx,
    rows.map((r) => r.code),
  );
  const pmCache = new Map<string, string>();
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const client = clientMap.get(row.clientExternalId);
    if (!client) {
      outcomes.push(rejectUnknownClient(ctx, row.line, row.clientExternalId));
      continue;
    }
    const currency = row.currency ?? client.currency;
    const hourlyRateMinor =
      row.hourlyRate === null ? null : minorOrError(ctx, row.line, "hourly_rate", row.hourlyRate, currency);
    if (hourlyRateMinor === undefined) continue;
    const found = existing.get(row.code.toLowerCase());
    // Channel and PM are often set from Slack later: a blank cell keeps what is there.
    const values = {
      clientId: client.id,
      name: row.name,
      billingMode: row.billingMode,
      currency,
      hourlyRateMinor,
      slackChannelId: row.slackChannelId ?? found?.slackChannelId ?? null,
      pmMemberId: row.pmEmail ? await memberForPm(ctx, row.pmEmail, pmCache) : (found?.pmMemberId ?? null),
    };
    outcomes.push(
      await upsertImported(ctx, {
        entity: "project",
        found,
        values,
        insert: async () => {
          const [created] = await ctx.tx
            .insert(projects)
            .values({ workspaceId: ctx.workspaceId, code: row.code, ...values })
            .returning({ id: projects.id });
          return created!.id;
        },
        update: async (found) => {
          await ctx.tx
            .update(projects)
            .set({ ...values, updatedAt: ctx.now })
            .where(eq(projects.id, found.id));
        },
      }),
    );
  }
  return outcomes;
};
