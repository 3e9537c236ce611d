// `/milestone list [project]`: milestones of the user's projects (or of one project), by status.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../context.ts";
import { milestones, projects } from "../db/schema/index.ts";
import { isSlackActor, memberIdOf, rolesOf } from "../domain/actor.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import { findProject } from "./find-project.ts";

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
    const project = await findProject(db, workspaceId, input.project);
    projectIds = [project.id];
    scope = `${project.code} · ${project.name}`;
  } else if (isSlackActor(actor) && !roles.includes("admin") && !roles.includes("billing")) {
    const own = await db
      .select({ id: projects.id })
      .from(projects)
      .where(
        and(
          eq(projects.workspaceId, workspaceId),
          eq(projects.pmMemberId, memberIdOf(actor) ?? "00000000-0000-0000-0000-000000000000"),
        ),
      );
    projectIds = own.map((p) => p.id);
    scope = "your projects";
    if (projectIds.length === 0) return { items: [], scope, locale };
  }
  const items = await db
    .select({
      id: milestones.id,
      projectCode: projects.code,
      projectName: projects.name,
      name: milestones.name,
      amountMinor: milestones.amountMinor,
      currency: milestones.currency,
      plannedDate: milestones.plannedDate,
      status: milestones.status,
    })
    .from(milestones)
    .innerJoin(projects, eq(projects.id, milestones.projectId))
    .where(
      and(
        eq(milestones.workspaceId, workspaceId),
        projectIds ? inArray(milestones.projectId, projectIds) : undefined,
      ),
    )
    .orderBy(asc(projects.code), asc(milestones.plannedDate), asc(milestones.name))
    .limit(500);
  return { items, scope, locale };
}
