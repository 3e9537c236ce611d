// `/milestone done`: marks a milestone done (once, whoever clicks twice), creates its draft
// invoice, claims the billing and project channel posts, and issues at once when auto-issue is on.
import type { Ctx } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { planMilestoneTransition } from "../domain/invoice-state.ts";
import { assertAllowed, auditActorOf, memberIdOf } from "../domain/permissions.ts";
import { createInvoiceDraft } from "./create-invoice-draft.ts";
import { issueAndSendInvoice } from "./issue-and-send-invoice.ts";
import { claimInvoiceMessages, lockMilestone, markMilestoneDone } from "./repo.ts";

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
  /** Things the user should know, said in their language by the reply. */
  warnings: MilestoneDoneWarning[];
};

export type MilestoneDoneWarning =
  | { kind: "no_billing_channel" }
  /** Auto-issue refused: the error says why (a DomainError is said in the reader's language). */
  | { kind: "auto_issue_failed"; error: unknown };

export async function completeMilestone(
  ctx: Ctx,
  input: { milestoneId: string },
): Promise<CompleteMilestoneResult> {
  const { workspaceId, actor } = ctx;
  const outcome = await ctx.db.transaction(async (tx) => {
    const row = await lockMilestone(tx, workspaceId, input.milestoneId);
    if (!row) {
      throw new DomainError("milestone.not_found", `milestone ${input.milestoneId} not found`, {
        userMessage: "That milestone does not exist (any more). `/milestone list` shows the current ones.",
      });
    }
    const { milestone, project, workspace } = row;
    assertAllowed(actor, { action: "manageMilestones", projectPmMemberId: project.pmMemberId });
    const base = {
      locale: workspace.locale,
      milestoneId: milestone.id,
      milestoneName: milestone.name,
      projectCode: project.code,
      amountMinor: milestone.amountMinor,
      currency: milestone.currency,
    };
    const warnings: MilestoneDoneWarning[] = [];
    // A repeat (done already, or by a concurrent click) changes nothing.
    const marked =
      planMilestoneTransition(milestone.status, "complete", milestone.name) !== "noop" &&
      (await markMilestoneDone(tx, milestone, {
        at: ctx.now(),
        byMemberId: memberIdOf(actor),
        actor: auditActorOf(actor),
      }));
    if (!marked) {
      return {
        ...base,
        alreadyDone: true,
        invoiceId: milestone.invoiceId,
        autoIssue: false,
        deliveryIds: [],
        warnings,
      };
    }
    const draft = await createInvoiceDraft({ ...ctx, db: tx }, { milestoneId: milestone.id });
    const autoIssue = workspace.settings.autoIssueOnMilestone === true;
    // When auto-issuing, the posts are claimed after the issue so the first post already shows it.
    const claimed = autoIssue
      ? { deliveryIds: [], channelIds: [] }
      : await claimInvoiceMessages(tx, { workspaceId, invoiceId: draft.invoice.id });
    if (!workspace.billingChannelId) {
      warnings.push({ kind: "no_billing_channel" });
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
  await ctx.enqueue(outcome.deliveryIds);
  let autoIssued = false;
  if (outcome.autoIssue && outcome.invoiceId) {
    try {
      await issueAndSendInvoice(ctx, { invoiceId: outcome.invoiceId, auto: true });
      autoIssued = true;
    } catch (error) {
      // The milestone is done and the draft exists; billing can still issue it by hand.
      outcome.warnings.push({ kind: "auto_issue_failed", error });
      ctx.logger.warn({ err: error, invoiceId: outcome.invoiceId }, "auto-issue failed");
    }
    const claimed = await claimInvoiceMessages(ctx.db, { workspaceId, invoiceId: outcome.invoiceId });
    await ctx.enqueue(claimed.deliveryIds);
  }
  const { autoIssue: _autoIssue, deliveryIds: _ids, ...result } = outcome;
  return { ...result, autoIssued };
}
