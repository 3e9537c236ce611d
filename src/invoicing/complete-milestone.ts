// `/milestone done`: marks a milestone done (once, whoever clicks twice), creates its draft
// invoice, claims the billing and project channel posts, and issues at once when auto-issue is on.
import { and, eq } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { milestones, projects, workspaces } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import { planMilestoneTransition } from "../domain/milestone-state.ts";
import { assertAllowed, type SlackActor } from "../domain/permissions.ts";
import { claimInvoiceMessages } from "./claim-invoice-messages.ts";
import { createInvoiceDraft } from "./create-invoice-draft.ts";
import { issueAndSendInvoice } from "./issue-and-send-invoice.ts";

export type CompleteMilestoneResult = {
  alreadyDone: boolean;
  milestoneId: string;
  milestoneName: string;
  projectCode: string;
  amountMinor: number;
  currency: string;
  invoiceId: string | null;
  autoIssued: boolean;
  /** The workspace's locale, for the reply. */
  locale: string;
  /** Things the user should know (no billing channel configured…). */
  warnings: string[];
};

export async function completeMilestone(
  deps: ServiceDeps,
  input: { workspaceId: string; actor: SlackActor; milestoneId: string },
): Promise<CompleteMilestoneResult> {
  const actorLabel = input.actor.memberId ?? `slack:${input.actor.slackUserId}`;
  const outcome = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ milestone: milestones, project: projects, workspace: workspaces })
      .from(milestones)
      .innerJoin(projects, eq(projects.id, milestones.projectId))
      .innerJoin(workspaces, eq(workspaces.id, milestones.workspaceId))
      .where(and(eq(milestones.id, input.milestoneId), eq(milestones.workspaceId, input.workspaceId)))
      .for("update", { of: milestones });
    if (!row) {
      throw new DomainError("milestone.not_found", `milestone ${input.milestoneId} not found`, {
        userMessage: "That milestone does not exist (any more). `/milestone list` shows the current ones.",
      });
    }
    const { milestone, project, workspace } = row;
    assertAllowed(input.actor, { action: "manageMilestones", projectPmMemberId: project.pmMemberId });
    const base = {
      locale: workspace.locale,
      milestoneId: milestone.id,
      milestoneName: milestone.name,
      projectCode: project.code,
      amountMinor: milestone.amountMinor,
      currency: milestone.currency,
    };
    const warnings: string[] = [];
    if (planMilestoneTransition(milestone.status, "complete", milestone.name) === "noop") {
      return {
        ...base,
        alreadyDone: true,
        invoiceId: milestone.invoiceId,
        autoIssue: false,
        deliveryIds: [],
        warnings,
      };
    }
    const doneAt = deps.now();
    const updated = await tx
      .update(milestones)
      .set({ status: "done", doneAt, doneByMemberId: input.actor.memberId, updatedAt: doneAt })
      .where(and(eq(milestones.id, milestone.id), eq(milestones.status, "planned")))
      .returning({ id: milestones.id });
    if (updated.length === 0) {
      return {
        ...base,
        alreadyDone: true,
        invoiceId: milestone.invoiceId,
        autoIssue: false,
        deliveryIds: [],
        warnings,
      };
    }
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: actorLabel,
      action: "milestone.done",
      entity: "milestone",
      entityId: milestone.id,
      before: { status: milestone.status },
      after: { status: "done", doneAt: doneAt.toISOString(), doneByMemberId: input.actor.memberId },
    });
    const draft = await createInvoiceDraft(
      { ...deps, db: tx },
      { workspaceId: input.workspaceId, actor: actorLabel, milestoneId: milestone.id },
    );
    const autoIssue = workspace.settings.autoIssueOnMilestone === true;
    // When auto-issuing, the posts are claimed after the issue so the first post already shows it.
    const claimed = autoIssue
      ? { deliveryIds: [], channelIds: [] }
      : await claimInvoiceMessages(tx, { workspaceId: input.workspaceId, invoiceId: draft.invoice.id });
    if (!workspace.billingChannelId) {
      warnings.push(
        "No billing channel is set, so billing was not told: an admin can choose one with `/cobro setup`.",
      );
    }
    return {
      ...base,
      alreadyDone: false,
      invoiceId: draft.invoice.id,
      autoIssue,
      deliveryIds: claimed.deliveryIds,
      warnings,
    };
  });
  await deps.enqueue(outcome.deliveryIds);
  let autoIssued = false;
  if (outcome.autoIssue && outcome.invoiceId) {
    try {
      await issueAndSendInvoice(deps, {
        workspaceId: input.workspaceId,
        invoiceId: outcome.invoiceId,
        actor: input.actor,
        auto: true,
      });
      autoIssued = true;
    } catch (error) {
      // The milestone is done and the draft exists; billing can still issue it by hand.
      const reason = error instanceof DomainError ? error.userMessage : "an unexpected error";
      outcome.warnings.push(
        `The invoice could not be issued automatically (${reason}); it waits as a draft for billing.`,
      );
      deps.logger.warn({ err: error, invoiceId: outcome.invoiceId }, "auto-issue failed");
    }
    const claimed = await claimInvoiceMessages(deps.db, {
      workspaceId: input.workspaceId,
      invoiceId: outcome.invoiceId,
    });
    await deps.enqueue(claimed.deliveryIds);
  }
  const { autoIssue: _autoIssue, deliveryIds: _ids, ...result } = outcome;
  return { ...result, autoIssued };
}
