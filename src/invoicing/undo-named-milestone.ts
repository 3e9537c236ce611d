// `/milestone undo <project> <milestone>`: the done milestone the words name, planned again (its
// draft cancelled); words that name none or several say why, for the reply to tell what to write.
import type { ServiceDeps } from "../context.ts";
import { matchMilestone, type PickWhy } from "../domain/match-project.ts";
import type { SlackActor } from "../domain/permissions.ts";
import { findMilestoneChoices } from "./find-milestone-choices.ts";
import { undoMilestone } from "./undo-milestone.ts";

export type NamedMilestoneUndone =
  | { kind: "undone"; undone: { alreadyDone: boolean; milestoneName: string; projectCode: string } }
  | { kind: "pick"; why: PickWhy };

export async function undoNamedMilestone(
  deps: ServiceDeps,
  input: { workspaceId: string; actor: SlackActor; tokens: string[] },
): Promise<NamedMilestoneUndone> {
  const { workspaceId, actor, tokens } = input;
  const choices = await findMilestoneChoices(deps.db, {
    workspaceId,
    actor,
    statuses: ["done"],
    everyProject: tokens.length > 0,
    tokens,
  });
  const match = matchMilestone(tokens, choices.projects, choices.milestones);
  if (match.kind === "pick") return { kind: "pick", why: match.why };
  return {
    kind: "undone",
    undone: await undoMilestone(deps, { workspaceId, actor, milestoneId: match.milestoneId }),
  };
}
