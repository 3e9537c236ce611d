// What `/cobro project <code>` shows: the project's details as the CSV columns name them.
import type { Ctx } from "../context.ts";
import { toDecimalString } from "../domain/money.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { findClient, findProjectByReference, memberEmails } from "./repo.ts";
import type { ProjectModel } from "./slack/party-modals-view.ts";

export async function loadProjectDetails(ctx: Ctx, input: { reference: string }): Promise<ProjectModel> {
  const { db, workspaceId } = ctx;
  assertAllowed(ctx.actor, { action: "editParties" });
  const project = await findProjectByReference(db, workspaceId, input.reference);
  const client = await findClient(db, workspaceId, project.clientId);
  const people = [project.pmMemberId, project.approverMemberId].filter((id): id is string => id !== null);
  const emails = await memberEmails(db, workspaceId, people);
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
