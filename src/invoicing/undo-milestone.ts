// `/milestone undo`: a milestone marked done by mistake goes back to planned and its draft is
// cancelled, as long as the invoice has not been issued.
import { and, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { invoices, milestones, projects } from "../db/schema/index.ts";
import { auditActorOf } from "../domain/actor.ts";
import { DomainError } from "../domain/errors.ts";
import { planMilestoneTransition } from "../domain/milestone-state.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { claimInvoiceMessages } from "./claim-invoice-messages.ts";

export async function undoMilestone(
  ctx: Ctx,
  input: { milestoneId: string },
): Promise<{ alreadyDone: boolean; milestoneName: string; projectCode: string }> {
  const { workspaceId, actor } = ctx;
  const actorLabel = auditActorOf(actor);
  const outcome = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ milestone: milestones, project: projects })
      .from(milestones)
      .innerJoin(projects, eq(projects.id, milestones.projectId))
      .where(and(eq(milestones.id, input.milestoneId), eq(milestones.workspaceId, workspaceId)))
      .for("update", { of: milestones });
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
      const [invoice] = await tx
        .select({ status: invoices.status })
        .from(invoices)
        .where(and(eq(invoices.id, milestone.invoiceId), eq(invoices.workspaceId, workspaceId)))
        .for("update");
      if (invoice && invoice.status !== "void") {
        const voided = await tx
          .update(invoices)
          .set({ status: "void", updatedAt: ctx.now() })
          .where(and(eq(invoices.id, milestone.invoiceId), inArray(invoices.status, ["draft", "held"])))
          .returning({ id: invoices.id });
        if (voided.length === 0) planMilestoneTransition("invoiced", "undo", milestone.name);
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
    await tx
      .update(milestones)
      .set({ status: "planned", doneAt: null, doneByMemberId: null, invoiceId: null, updatedAt: ctx.now() })
      .where(eq(milestones.id, milestone.id));
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
