// What the setup modal and the App Home settings show: the workspace's settings and who has which role.
import type { Ctx } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { assertAllowed, type Role } from "../domain/permissions.ts";
import { listSlackMembers, workspaceHasAdmin } from "./members-repo.ts";
import { findWorkspaceById } from "./repo.ts";
import type { SetupModel } from "./slack/setup-modal.ts";

/** Exactly what the setup modal shows (the view owns the shape). */
export type WorkspaceSettingsView = SetupModel;

export async function loadWorkspaceSettings(
  ctx: Ctx,
  _input: Record<string, never> = {},
): Promise<WorkspaceSettingsView> {
  // Until someone is admin, whoever sets the workspace up may (the first `/cobro setup`).
  if (await workspaceHasAdmin(ctx.db, ctx.workspaceId)) assertAllowed(ctx.actor, { action: "configure" });
  const workspace = await findWorkspaceById(ctx.db, ctx.workspaceId);
  if (!workspace) throw new DomainError("workspace.not_found", `workspace ${ctx.workspaceId} not found`);
  const roles: Record<Role, string[]> = { admin: [], billing: [], collector: [], approver: [], pm: [] };
  for (const member of await listSlackMembers(ctx.db, ctx.workspaceId)) {
    for (const role of member.roles) if (member.slackUserId) roles[role]?.push(member.slackUserId);
  }
  const seller = workspace.seller;
  return {
    billingChannelId: workspace.billingChannelId,
    collectionsChannelId: workspace.collectionsChannelId,
    timeZone: workspace.timeZone,
    baseCurrency: workspace.baseCurrency,
    locale: workspace.locale,
    seller: {
      legalName: seller?.legalName ?? "",
      addressLine1: seller?.address.line1 ?? "",
      postcode: seller?.address.postcode ?? "",
      city: seller?.address.city ?? "",
      country: seller?.address.country ?? "",
      vatId: seller?.vatId ?? "",
      siren: seller?.siren ?? "",
      nif: seller?.nif ?? "",
      iban: seller?.iban ?? "",
    },
    autoIssueOnMilestone: workspace.settings.autoIssueOnMilestone ?? false,
    monthlyStatements: workspace.settings.monthlyStatements ?? false,
    roles,
  };
}
