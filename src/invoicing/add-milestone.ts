// `/milestone add <project> "<name>" <amount> [date]`: a planned milestone on a project.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { DomainError } from "../domain/errors.ts";
import { parseTypedAmount } from "../domain/money.ts";
import { nameProblem, nameProblemCode } from "../domain/names.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { findProjectByReference, insertMilestone, type MilestoneChoice } from "./repo.ts";

export const AddMilestoneInput = z.object({
  project: z.string().trim().min(1),
  name: z.string().trim().min(1).max(200),
  amount: z.string().trim().min(1),
  plannedDate: z.iso.date().optional(),
});
export type AddMilestoneInput = z.input<typeof AddMilestoneInput>;

export type AddMilestoneResult = { alreadyDone: boolean; milestoneId: string; projectCode: string } & Pick<
  MilestoneChoice,
  "name" | "amountMinor" | "currency"
>;

export async function addMilestone(ctx: Ctx, raw: AddMilestoneInput): Promise<AddMilestoneResult> {
  const { workspaceId, actor } = ctx;
  const input = AddMilestoneInput.parse(raw);
  const problem = nameProblemCode(input.name);
  if (problem) {
    const said = nameProblem(input.name);
    throw new DomainError("milestone.name", `milestone name ${said}`, {
      userMessage: `The milestone name ${said}.`,
      messageKey: "invoicing.error.milestone_name",
      messageValues: { problemKey: `invoicing.name_problem.${problem}` },
    });
  }
  return ctx.db.transaction(async (tx) => {
    const project = await findProjectByReference(tx, workspaceId, input.project);
    assertAllowed(actor, { action: "manageMilestones", projectPmMemberId: project.pmMemberId });
    const amountMinor = parseTypedAmount(input.amount, project.currency);
    if (amountMinor <= 0) {
      throw new DomainError("milestone.amount", "milestone amount must be positive", {
        userMessage: `The amount must be more than zero (got "${input.amount}").`,
        messageKey: "milestone.error.amount_not_positive",
        messageValues: { text: input.amount },
      });
    }
    const row = await insertMilestone(tx, {
      workspaceId,
      projectId: project.id,
      name: input.name,
      amountMinor,
      currency: project.currency,
      plannedDate: input.plannedDate ?? null,
    });
    if (!row) {
      throw new DomainError("milestone.exists", `milestone ${input.name} exists`, {
        userMessage: `${project.code} already has a milestone called "${input.name}": pick another name.`,
        messageKey: "milestone.error.exists",
        messageValues: { project: project.code, milestone: input.name },
      });
    }
    await recordAudit(tx, {
      workspaceId,
      actor: auditActorOf(actor),
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
