// `/milestone add <project> "<name>" <amount> [date]`: a planned milestone on a project.
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { milestones } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import { parseAmount } from "../domain/money.ts";
import { nameProblem } from "../domain/names.ts";
import { assertAllowed, type SlackActor } from "../domain/permissions.ts";
import { findProject } from "./find-project.ts";

export const AddMilestoneInput = z.object({
  workspaceId: z.uuid(),
  actor: z.custom<SlackActor>(),
  project: z.string().trim().min(1),
  name: z.string().trim().min(1).max(200),
  amount: z.string().trim().min(1),
  plannedDate: z.iso.date().optional(),
});
export type AddMilestoneInput = z.infer<typeof AddMilestoneInput>;

export type AddMilestoneResult = {
  alreadyDone: boolean;
  milestoneId: string;
  projectCode: string;
  name: string;
  amountMinor: number;
  currency: string;
};

export async function addMilestone(deps: ServiceDeps, raw: AddMilestoneInput): Promise<AddMilestoneResult> {
  const input = AddMilestoneInput.parse(raw);
  const problem = nameProblem(input.name);
  if (problem) {
    throw new DomainError("milestone.name", `milestone name ${problem}`, {
      userMessage: `The milestone name ${problem}.`,
    });
  }
  return deps.db.transaction(async (tx) => {
    const project = await findProject(tx, input.workspaceId, input.project);
    assertAllowed(input.actor, { action: "manageMilestones", projectPmMemberId: project.pmMemberId });
    const amountMinor = parseAmount(input.amount, project.currency);
    if (amountMinor <= 0) {
      throw new DomainError("milestone.amount", "milestone amount must be positive", {
        userMessage: `The amount must be more than zero (got "${input.amount}").`,
      });
    }
    const [row] = await tx
      .insert(milestones)
      .values({
        workspaceId: input.workspaceId,
        projectId: project.id,
        name: input.name,
        amountMinor,
        currency: project.currency,
        plannedDate: input.plannedDate ?? null,
      })
      .onConflictDoNothing({ target: [milestones.projectId, milestones.name] })
      .returning();
    if (!row) {
      throw new DomainError("milestone.exists", `milestone ${input.name} exists`, {
        userMessage: `${project.code} already has a milestone called "${input.name}": pick another name.`,
      });
    }
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor.memberId ?? `slack:${input.actor.slackUserId}`,
      action: "milestone.created",
      entity: "milestone",
      entityId: row.id,
      after: { name: row.name, amountMinor, currency: row.currency, plannedDate: row.plannedDate },
    });
    return {
      alreadyDone: false,
      milestoneId: row.id,
      projectCode: project.code,
      name: row.name,
      amountMinor,
      currency: row.currency,
    };
  });
}
