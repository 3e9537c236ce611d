import { and, eq } from "drizzle-orm";
import { clients, projects } from "../db/schema/index.ts";
import { present } from "../domain/errors.ts";
import { projectCodeKey } from "../domain/names.ts";
import {
  type Context,
  type Handler,
  importedMembers,
  minorOrError,
  type Outcome,
  reject,
} from "./context.ts";
import { clientsByExternalId, projectsByCode, rejectUnknownClient } from "./lookups.ts";
import { upsertImported } from "./upsert-imported.ts";

async function ownerOf(ctx: Context, clientId: string): Promise<string> {
  const [owner] = await ctx.tx
    .select({ externalId: clients.externalId, name: clients.name })
    .from(clients)
    .where(and(eq(clients.workspaceId, ctx.workspaceId), eq(clients.id, clientId)));
  return owner ? `${owner.externalId} (${owner.name})` : "another client";
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
  const named = rows.filter((r) => clientMap.has(r.clientExternalId));
  const memberIds = await importedMembers(ctx, [
    ...named.flatMap((r) => (r.pmEmail ? [{ email: r.pmEmail, role: "pm" as const }] : [])),
    ...named.flatMap((r) => (r.approverEmail ? [{ email: r.approverEmail, role: "approver" as const }] : [])),
  ]);
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
    const found = existing.get(projectCodeKey(row.code));
    // Moving a project would move its invoices to another client's statement.
    if (found && found.clientId !== client.id) {
      outcomes.push(
        reject(
          ctx,
          row.line,
          "code",
          `project "${found.code}" belongs to client ${await ownerOf(ctx, found.clientId)}; a project cannot move to another client: give this one a new code`,
        ),
      );
      continue;
    }
    // Channel, PM and approver are often set from Slack later: a blank cell keeps what is there.
    const values = {
      clientId: client.id,
      name: row.name,
      billingMode: row.billingMode,
      currency,
      hourlyRateMinor,
      slackChannelId: row.slackChannelId ?? found?.slackChannelId ?? null,
      pmMemberId: row.pmEmail
        ? present(memberIds.get(row.pmEmail), "memberIds.get(row.pmEmail)")
        : (found?.pmMemberId ?? null),
      approverMemberId: row.approverEmail
        ? present(memberIds.get(row.approverEmail), "memberIds.get(row.approverEmail)")
        : (found?.approverMemberId ?? null),
    };
    outcomes.push(
      upsertImported(ctx, {
        entity: "project",
        found,
        values,
        insert: () =>
          ctx.writes.insert(projects, { workspaceId: ctx.workspaceId, code: row.code, ...values }),
        update: (found) => ctx.writes.update(projects, found.id, { ...values, updatedAt: ctx.now }),
      }),
    );
  }
  return outcomes;
};
