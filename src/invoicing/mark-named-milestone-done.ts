// `/milestone done <project> <milestone>`: the milestone the words name, marked done; when they
// name none or several, the choices to pick from (the open milestones, narrowed to the candidates).
import type { ServiceDeps } from "../context.ts";
import { matchMilestone, type PickWhy } from "../domain/match-project.ts";
import type { SlackActor } from "../domain/permissions.ts";
import { type CompleteMilestoneResult, completeMilestone } from "./complete-milestone.ts";
import { findMilestoneChoices, type MilestoneChoices } from "./find-milestone-choices.ts";

export type NamedMilestoneDone =
  | { kind: "done"; done: CompleteMilestoneResult }
  | ({ kind: "pick"; why: PickWhy } & MilestoneChoices);

export async function markNamedMilestoneDone(
  deps: ServiceDeps,
  input: { workspaceId: string; actor: SlackActor; tokens: string[] },
): Promise<NamedMilestoneDone> {
  const { workspaceId, actor, tokens } = input;
  const choices = await findMilestoneChoices(deps.db, {
    workspaceId,
    actor,
    statuses: ["planned", "done"],
    everyProject: tokens.length > 0,
    tokens,
  });
  const match = matchMilestone(tokens, choices.projects, choices.milestones);
  if (match.kind === "match") {
    return {
      kind: "done",
      done: await completeMilestone(deps, { workspaceId, actor, milestoneId: match.milestoneId }),
    };
  }
  const open = await findMilestoneChoices(deps.db, { workspaceId, actor, statuses: ["planned"] });
  const wanted = new Set(match.milestoneIds);
  const narrowed = open.milestones.filter((m) => wanted.has(m.id));
  return {
    kind: "pick",
    why: match.why,
    ...open,
    milestones: narrowed.length > 0 ? narrowed : open.milestones,
  };
}
