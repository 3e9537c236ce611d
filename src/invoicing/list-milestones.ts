// `/milestone list [project]`: milestones of the user's projects (or of one project), by status.
import type { Ctx } from "../context.ts";
import { isSlackActor, memberIdOf, rolesOf } from "../domain/permissions.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import { findProjectByReference, listMilestonesWithProject, listProjectChoices } from "./repo.ts";

export type MilestoneListItem = {
  id: string;
  projectCode: string;
  projectName: string;
  name: string;
  amountMinor: number;
  currency: string;
  plannedDate: string | null;
  status: "planned" | "done" | "invoiced";
};

/** Any member may list (no permission check): a PM sees their own projects unless they name one. */
export async function listMilestones(
  ctx: Ctx,
  input: { project?: string | undefined },
): Promise<{ items: MilestoneListItem[]; scope: string; locale: string }> {
  const { db, workspaceId, actor } = ctx;
  const roles = rolesOf(actor);
  const locale = (await findWorkspaceById(db, workspaceId))?.locale ?? "en";
  let projectIds: string[] | undefined;
  let scope = "all projects";
  if (input.project) {
    const project = await findProjectByReference(db, workspaceId, input.project);
    projectIds = [project.id];
    scope = `${project.code} · ${project.name}`;
  } else if (isSlackActor(actor) && !roles.includes("admin") && !roles.includes("billing")) {
    const own = await listProjectChoices(db, workspaceId, {
      pmMemberId: memberIdOf(actor) ?? "00000000-0000-0000-0000-000000000000",
    });
    projectIds = own.map((p) => p.id);
    scope = "your projects";
    if (projectIds.length === 0) return { items: [], scope, locale };
  }
  const items = await listMilestonesWithProject(db, workspaceId, projectIds);
  return { items, scope, locale };
}
