// `/milestone done <project> <milestone>`: the milestone the words name, marked done; when they
// name none or several, the choices to pick from (the open milestones, narrowed to the candidates).
import type { Ctx } from "../context.ts";
import { matchMilestone, type PickWhy } from "../domain/match-project.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { type CompleteMilestoneResult, completeMilestone } from "./complete-milestone.ts";
import { findMilestoneChoices, type MilestoneChoices } from "./repo.ts";

export type NamedMilestoneDone =
  | { kind: "done"; done: CompleteMilestoneResult }
  | ({ kind: "pick"; why: PickWhy } & MilestoneChoices);

export async function markNamedMilestoneDone(
  ctx: Ctx,
  input: { tokens: string[] },
): Promise<NamedMilestoneDone> {
  // Someone Cobro cannot place is told whom to ask, not offered a picker of nothing. (Members are
  // checked by completeMilestone, on the milestone's project.)
  if (ctx.actor.kind === "stranger")
    assertAllowed(ctx.actor, { action: "manageMilestones", projectPmMemberId: null });
  const { tokens } = input;
  const choices = await findMilestoneChoices(ctx.db, {
    workspaceId: ctx.workspaceId,
    actor: ctx.actor,
    statuses: ["planned", "done"],
    everyProject: tokens.length > 0,
    tokens,
  });
  const match = matchMilestone(tokens, choices.projects, choices.milestones);
  if (match.kind === "match") {
    return {
      kind: "done",
      done: await completeMilestone(ctx, { milestoneId: match.milestoneId }),
    };
  }
  const open = await findMilestoneChoices(ctx.db, {
    workspaceId: ctx.workspaceId,
    actor: ctx.actor,
    statuses: ["planned"],
  });
  const wanted = new Set(match.milestoneIds);
  const narrowed = open.milestones.filter((m) => wanted.has(m.id));
  return {
    kind: "pick",
    why: match.why,
    ...open,
    milestones: narrowed.length > 0 ? narrowed : open.milestones,
  };
}
