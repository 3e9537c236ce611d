import { present } from "../domain/errors.ts";
import { projectCodeKey } from "../domain/names.ts";
import type { Handler, ImportContext, Outcome } from "./context.ts";
import { findClientLabel } from "./repo.ts";

async function ownerOf(ctx: ImportContext, clientId: string): Promise<string> {
  return (await findClientLabel(ctx.tx, ctx.workspaceId, clientId)) ?? "another client";
}

export const importProjects: Handler<"projects"> = async (ctx, rows) => {
  const clientMap = await ctx.clientsByExternalId(rows.map((r) => r.clientExternalId));
  const existing = await ctx.projectsByCode(rows.map((r) => r.code));
  const named = rows.filter((r) => clientMap.has(r.clientExternalId));
  const memberIds = await ctx.importedMembers([
    ...named.flatMap((r) => (r.pmEmail ? [{ email: r.pmEmail, role: "pm" as const }] : [])),
    ...named.flatMap((r) => (r.approverEmail ? [{ email: r.approverEmail, role: "approver" as const }] : [])),
  ]);
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const client = clientMap.get(row.clientExternalId);
    if (!client) {
      outcomes.push(ctx.rejectUnknownClient(row.line, row.clientExternalId));
      continue;
    }
    const currency = row.currency ?? client.currency;
    const hourlyRateMinor =
      row.hourlyRate === null ? null : ctx.minorOrError(row.line, "hourly_rate", row.hourlyRate, currency);
    if (hourlyRateMinor === undefined) continue;
    const found = existing.get(projectCodeKey(row.code));
    // Moving a project would move its invoices to another client's statement.
    if (found && found.clientId !== client.id) {
      outcomes.push(
        ctx.reject(
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
      ctx.upsert({
        entity: "project",
        found,
        values,
        insert: () =>
          ctx.writes.insert("projects", { workspaceId: ctx.workspaceId, code: row.code, ...values }),
        update: (found) => ctx.writes.update("projects", found.id, { ...values, updatedAt: ctx.now }),
      }),
    );
  }
  return outcomes;
};
