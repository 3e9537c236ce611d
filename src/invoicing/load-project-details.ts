// What `/cobro project <code>` shows: the project's details as the CSV columns name them.
import { and, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../context.ts";
import { clients, members } from "../db/schema/index.ts";
import { toDecimalString } from "../domain/money.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { findProject } from "./find-project.ts";
import type { ProjectModel } from "./slack/party-modals-view.ts";

export async function loadProjectDetails(ctx: Ctx, input: { reference: string }): Promise<ProjectModel> {
  const { db, workspaceId } = ctx;
  assertAllowed(ctx.actor, { action: "editParties" });
  const project = await findProject(db, workspaceId, input.reference);
  const [client] = await db
    .select({ name: clients.name })
    .from(clients)
    .where(and(eq(clients.workspaceId, workspaceId), eq(clients.id, project.clientId)));
  const people = [project.pmMemberId, project.approverMemberId].filter((id): id is string => id !== null);
  const emails = new Map(
    people.length === 0
      ? []
      : (
          await db
            .select({ id: members.id, email: members.email })
            .from(members)
            .where(and(eq(members.workspaceId, workspaceId), inArray(members.id, people)))
        ).map((m) => [m.id, m.email ?? ""]),
  );
  return {
    id: project.id,
    code: project.code,
    clientName: client?.name ?? "",
    billingMode: project.billingMode,
    currency: project.currency,
    values: {
      name: project.name,
      pm_email: project.pmMemberId ? (emails.get(project.pmMemberId) ?? "") : "",
      approver_email: project.approverMemberId ? (emails.get(project.approverMemberId) ?? "") : "",
      hourly_rate:
        project.hourlyRateMinor === null ? "" : toDecimalString(project.hourlyRateMinor, project.currency),
      slack_channel: project.slackChannelId ?? "",
    },
  };
}
