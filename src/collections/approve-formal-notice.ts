// The collections click that lets the formal notice go: never before three reminders, and only once.
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import {
  assertFormalNoticeAllowed,
  assertMayApproveFormalNotice,
  collectionState,
  resolveDunningPolicy,
} from "../domain/dunning.ts";
import { DomainError } from "../domain/errors.ts";
import { findMemberRoles } from "../workspace/index.ts";
import { runCollectionAction } from "./collection-action.ts";
import { dispatchReminder } from "./dispatch-reminder.ts";
import { loadPolicyCandidates } from "./policy-repo.ts";
import { findReminder, updateCollection } from "./repo.ts";

export const ApproveFormalNoticeInput = z.object({
  workspaceId: z.uuid(),
  invoiceId: z.uuid(),
  memberId: z.uuid().nullable(),
  actor: z.string().min(1),
});
export type ApproveFormalNoticeInput = z.input<typeof ApproveFormalNoticeInput>;

export async function approveFormalNotice(
  deps: ServiceDeps,
  rawInput: ApproveFormalNoticeInput,
): Promise<{ alreadyDone: boolean; sent: boolean }> {
  const input = ApproveFormalNoticeInput.parse(rawInput);
  return runCollectionAction(deps, input, async (tx, { workspace, view, today }) => {
    if (view.formalApprovedAt) return { result: { alreadyDone: true, sent: false }, ids: [] };
    assertMayApproveFormalNotice(
      input.memberId ? await findMemberRoles(tx, input.workspaceId, input.memberId) : null,
    );
    const policy = resolveDunningPolicy(await loadPolicyCandidates(tx, input.workspaceId), view);
    const level = assertFormalNoticeAllowed(policy, collectionState(view));
    // The approval is claimed first: a second click waits here for the first one's transaction and
    // then finds it approved, instead of finding the notice already sent. A refusal below rolls it back.
    const approved = await updateCollection(
      tx,
      input.workspaceId,
      input.invoiceId,
      { formalApprovedAt: deps.now(), formalApprovedByMemberId: input.memberId },
      sql`formal_approved_at is null`,
    );
    if (!approved) return { result: { alreadyDone: true, sent: false }, ids: [] };
    const pending = await findReminder(tx, view.invoiceId, level.level);
    if (pending?.status !== "awaiting_approval") {
      throw new DomainError("collection.formal_not_ready", "formal notice not awaiting approval", {
        userMessage: "The formal notice is not waiting for approval yet: Cobro asks here when it is due.",
        messageKey: "collections.error.formal_not_ready",
      });
    }
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: "collection.formal_notice_approved",
      entity: "invoice",
      entityId: input.invoiceId,
      before: { formalApprovedAt: null },
      after: { formalApprovedAt: approved.formalApprovedAt, level: level.level },
    });
    const sent = await dispatchReminder(
      tx,
      workspace,
      { ...view, formalApprovedAt: approved.formalApprovedAt },
      pending,
      level,
      today,
      input.actor,
    );
    return { result: { alreadyDone: false, sent: sent.outcome === "sent" }, ids: sent.deliveryIds };
  });
}
