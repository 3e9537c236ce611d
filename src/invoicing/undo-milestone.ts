// `/milestone undo`: a milestone marked done by mistake goes back to planned and its draft is
// cancelled, as long as the invoice has not been issued.
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { DomainError } from "../domain/errors.ts";
import { planMilestoneTransition } from "../domain/invoice-state.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import {
  claimInvoiceMessages,
  findInvoice,
  lockMilestone,
  replanMilestone,
  voidDraftInvoice,
} from "./repo.ts";

export async function undoMilestone(
  ctx: Ctx,
  input: { milestoneId: string },
): Promise<{ alreadyDone: boolean; milestoneName: string; projectCode: string }> {
  const { workspaceId, actor } = ctx;
  const actorLabel = auditActorOf(actor);
  const outcome = await ctx.db.transaction(async (tx) => {
    const row = await lockMilestone(tx, workspaceId, input.milestoneId);
    if (!row) {
      throw new DomainError("milestone.not_found", `milestone ${input.milestoneId} not found`, {
        userMessage: "That milestone does not exist (any more). `/milestone list` shows the current ones.",
      });
    }
    const { milestone, project } = row;
    assertAllowed(actor, { action: "manageMilestones", projectPmMemberId: project.pmMemberId });
    const base = { milestoneName: milestone.name, projectCode: project.code };
    if (planMilestoneTransition(milestone.status, "undo", milestone.name) === "noop") {
      return { ...base, alreadyDone: true, deliveryIds: [] as string[] };
    }
    let voidedInvoiceId: string | null = null;
    if (milestone.invoiceId) {
      const invoice = await findInvoice(tx, workspaceId, milestone.invoiceId, true);
      if (invoice && invoice.status !== "void") {
        if (!(await voidDraftInvoice(tx, milestone.invoiceId, ctx.now())))
          planMilestoneTransition("invoiced", "undo", milestone.name);
        voidedInvoiceId = milestone.invoiceId;
        await recordAudit(tx, {
          workspaceId,
          actor: actorLabel,
          action: "invoice.draft_cancelled",
          entity: "invoice",
          entityId: milestone.invoiceId,
          before: { status: invoice.status },
          after: { status: "void", reason: "milestone undone" },
        });
      }
    }
    await replanMilestone(tx, milestone.id, ctx.now());
    await recordAudit(tx, {
      workspaceId,
      actor: actorLabel,
      action: "milestone.undone",
      entity: "milestone",
      entityId: milestone.id,
      before: { status: milestone.status, doneAt: milestone.doneAt, invoiceId: milestone.invoiceId },
      after: { status: "planned" },
    });
    const claimed = voidedInvoiceId
      ? await claimInvoiceMessages(tx, {
          workspaceId,
          invoiceId: voidedInvoiceId,
          occurrence: "cancelled",
        })
      : { deliveryIds: [] };
    return { ...base, alreadyDone: false, deliveryIds: claimed.deliveryIds };
  });
  await ctx.enqueue(outcome.deliveryIds);
  return {
    alreadyDone: outcome.alreadyDone,
    milestoneName: outcome.milestoneName,
    projectCode: outcome.projectCode,
  };
}
