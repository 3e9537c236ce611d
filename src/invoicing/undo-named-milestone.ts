// `/milestone undo <project> <milestone>`: the done milestone the words name, planned again (its
// draft cancelled); words that name none or several say why, for the reply to tell what to write.
import type { Ctx } from "../context.ts";
import { matchMilestone, type PickWhy } from "../domain/match-project.ts";
import { findMilestoneChoices } from "./repo.ts";
import { undoMilestone } from "./undo-milestone.ts";

export type NamedMilestoneUndone =
  | { kind: "undone"; undone: { alreadyDone: boolean; milestoneName: string; projectCode: string } }
  | { kind: "pick"; why: PickWhy };

export async function undoNamedMilestone(
  ctx: Ctx,
  input: { tokens: string[] },
): Promise<NamedMilestoneUndone> {
  const { tokens } = input;
  const choices = await findMilestoneChoices(ctx.db, {
    workspaceId: ctx.workspaceId,
    actor: ctx.actor,
    statuses: ["done"],
    everyProject: tokens.length > 0,
    tokens,
  });
  const match = matchMilestone(tokens, choices.projects, choices.milestones);
  if (match.kind === "pick") return { kind: "pick", why: match.why };
  return {
    kind: "undone",
    undone: await undoMilestone(ctx, { milestoneId: match.milestoneId }),
  };
}
