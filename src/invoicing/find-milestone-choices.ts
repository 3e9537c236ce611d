// The projects a user works on and their open milestones: what `/milestone done` matches against
// and what the picker modal offers.
import type { Ctx } from "../context.ts";
import { isSlackActor, memberIdOf, rolesOf } from "../domain/actor.ts";
import { candidateProjects } from "../domain/match-project.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import { listMilestoneChoices, listProjectChoices } from "./repo.ts";

export type ProjectChoice = { id: string; code: string; name: string; pmMemberId: string | null };
export type MilestoneChoice = {
  id: string;
  projectId: string;
  name: string;
  amountMinor: number;
  currency: string;
  plannedDate: string | null;
};

/** `locale` is the workspace's, for amounts shown in the picker. */
export type MilestoneChoices = { projects: ProjectChoice[]; milestones: MilestoneChoice[]; locale: string };

/**
 * PMs see their own projects; billing and admins see every active project. `everyProject` is for
 * matching typed text: a PM naming someone else's project gets a clear refusal, not a picker.
 * Any member may ask (no permission check): they see their own projects only.
 */
export async function findMilestoneChoices(
  ctx: Ctx,
  input: {
    statuses?: ("planned" | "done")[];
    everyProject?: boolean;
    /** What the user typed: milestones are then loaded only for the projects it can name. */
    tokens?: readonly string[];
  },
): Promise<MilestoneChoices> {
  const { db, workspaceId, actor } = ctx;
  const seesAll =
    input.everyProject === true ||
    !isSlackActor(actor) ||
    rolesOf(actor).includes("admin") ||
    rolesOf(actor).includes("billing");
  const [workspace, projectRows] = await Promise.all([
    findWorkspaceById(db, workspaceId),
    listProjectChoices(db, workspaceId, {
      active: true,
      ...(seesAll ? {} : { pmMemberId: memberIdOf(actor) ?? "00000000-0000-0000-0000-000000000000" }),
    }),
  ]);
  const locale = workspace?.locale ?? "en";
  if (projectRows.length === 0) return { projects: [], milestones: [], locale };
  const searched = input.tokens?.length ? candidateProjects(input.tokens, projectRows) : projectRows;
  if (searched.length === 0) return { projects: projectRows, milestones: [], locale };
  const milestoneRows = await listMilestoneChoices(
    db,
    workspaceId,
    searched.map((p) => p.id),
    input.statuses ?? ["planned"],
  );
  return { projects: projectRows, milestones: milestoneRows, locale };
}
