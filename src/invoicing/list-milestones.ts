// `/milestone list [project]`: milestones of the user's projects (or of one project), by status.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { milestones, projects } from "../db/schema/index.ts";
import type { SlackActor } from "../domain/permissions.ts";
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

export async function listMilestones(
  db: Db,
  input: { workspaceId: string; actor: SlackActor; project?: string },
): Promise<{ items: MilestoneListItem[]; scope: string; locale: string }> {
  const locale = (await findWorkspaceById(db, input.workspaceId))?.locale ?? "en";
  let projectIds: string[] | undefined;
  let scope = "all projects";
  if (input.project) {
    const project = await findProject(db, input.workspaceId, input.project);
    projectIds = [project.id];
    scope = `${project.code} · ${project.name}`;
  } else if (!input.actor.roles.includes("admin") && !input.actor.roles.includes("billing")) {
    const own = await db
      .select({ id: projects.id })
      .from(projects)
      .where(
        and(
          eq(projects.workspaceId, input.workspaceId),
          eq(projects.pmMemberId, input.actor.memberId ?? "00000000-0000-0000-0000-000000000000"),
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
        eq(milestones.workspaceId, input.workspaceId),
        projectIds ? inArray(milestones.projectId, projectIds) : undefined,
      ),
    )
    .orderBy(asc(projects.code), asc(milestones.plannedDate), asc(milestones.name))
    .limit(500);
  return { items, scope, locale };
}
