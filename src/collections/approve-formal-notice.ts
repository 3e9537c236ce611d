// The collections click that lets the formal notice go: never before three reminders, and only once.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import {
  assertFormalNoticeAllowed,
  assertMayApproveFormalNotice,
  collectionState,
  resolveDunningPolicy,
} from "../domain/dunning.ts";
import { DomainError } from "../domain/errors.ts";
import { assertAllowed, isSlackActor, memberIdOf } from "../domain/permissions.ts";
import { markFormalApproved } from "./actions-repo.ts";
import { runCollectionAction } from "./collection-action.ts";
import { dispatchReminder } from "./dispatch-reminder.ts";
import { loadPolicyCandidates } from "./policy-repo.ts";
import { findReminder } from "./repo.ts";

export const ApproveFormalNoticeInput = z.object({ invoiceId: z.uuid() });
export type ApproveFormalNoticeInput = z.input<typeof ApproveFormalNoticeInput>;

export async function approveFormalNotice(
  ctx: Ctx,
  rawInput: ApproveFormalNoticeInput,
): Promise<{ alreadyDone: boolean; sent: boolean }> {
  // A member is told the formal notice's own rule; the CLI and jobs may act on collections.
  if (isSlackActor(ctx.actor)) assertMayApproveFormalNotice(ctx.actor.roles);
  else assertAllowed(ctx.actor, { action: "collect" });
  const { invoiceId } = ApproveFormalNoticeInput.parse(rawInput);
  return runCollectionAction(ctx, {
    invoiceId,
    act: async (tx, { workspace, view, today, audit }) => {
      if (view.formalApprovedAt) return { result: { alreadyDone: true, sent: false }, ids: [] };
      const policy = resolveDunningPolicy(await loadPolicyCandidates(tx, ctx.workspaceId), view);
      const level = assertFormalNoticeAllowed(policy, collectionState(view));
      // The approval is claimed first: a second click waits here for the first one's transaction and
      // then finds it approved, instead of finding the notice already sent. A refusal below rolls it back.
      const approval = { at: ctx.now(), memberId: memberIdOf(ctx.actor) };
      const approved = await markFormalApproved(tx, view, approval);
      if (!approved) return { result: { alreadyDone: true, sent: false }, ids: [] };
      const pending = await findReminder(tx, view.invoiceId, level.level);
      if (pending?.status !== "awaiting_approval") {
        throw new DomainError("collection.formal_not_ready", "formal notice not awaiting approval", {
          userMessage: "The formal notice is not waiting for approval yet: Cobro asks here when it is due.",
          messageKey: "collections.error.formal_not_ready",
        });
      }
      const { formalApprovedAt } = approved;
      await audit("collection.formal_notice_approved", {
        before: { formalApprovedAt: null },
        after: { formalApprovedAt, level: level.level },
      });
      const approvedView = { ...view, formalApprovedAt };
      const sent = await dispatchReminder(
        { ...ctx, db: tx },
        { workspace, view: approvedView, reminder: pending, level, today },
      );
      return { result: { alreadyDone: false, sent: sent.outcome === "sent" }, ids: sent.deliveryIds };
    },
  });
}
