// What the setup modal and the App Home settings show: the workspace's settings and who has which role.
import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members, workspaces } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import type { Role } from "../domain/permissions.ts";
import { type Actor, assertAllowed } from "../domain/permissions.ts";
import type { SetupModel } from "./slack/setup-modal.ts";

/** Exactly what the setup modal shows (the view owns the shape). */
export type WorkspaceSettingsView = SetupModel;

/** True while nobody is admin: the first person to open setup configures the workspace. */
export async function workspaceHasAdmin(db: Db, workspaceId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), sql`'admin' = any(${members.roles})`));
  return (row?.n ?? 0) > 0;
}

export async function loadWorkspaceSettings(
  db: Db,
  input: { workspaceId: string; actor: Actor },
): Promise<WorkspaceSettingsView> {
  if (await workspaceHasAdmin(db, input.workspaceId)) assertAllowed(input.actor, { action: "configure" });
  const [workspace] = await db.select().from(workspaces).where(eq(workspaces.id, input.workspaceId));
  if (!workspace) throw new DomainError("workspace.not_found", `workspace ${input.workspaceId} not found`);
  const memberRows = await db
    .select({ slackUserId: members.slackUserId, roles: members.roles })
    .from(members)
    .where(and(eq(members.workspaceId, input.workspaceId), isNotNull(members.slackUserId)));
  const roles: Record<Role, string[]> = { admin: [], billing: [], collector: [], approver: [], pm: [] };
  for (const member of memberRows) {
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
