// **Issue & send** one invoice (its button, or the workspace's auto-issue on `/milestone done`): only
// billing (or the auto-issue rule) issues; the invoice is issued and its e-mail claimed in one
// transaction, so a second click is a repeat that issues and e-mails nothing more.
import type { Ctx } from "../context.ts";
import { assertAllowed, auditActorOf, memberIdOf } from "../domain/permissions.ts";
import { issueAndClaimEmailsInTransaction } from "./issue-repo.ts";

export type { IssueAndSendResult } from "./issue-repo.ts";

export async function issueAndSendInvoice(
  ctx: Ctx,
  /** `auto`: the workspace issues on `/milestone done` (auto-issue), whoever marked it done. */
  input: { invoiceId: string; auto?: boolean },
) {
  if (!input.auto) assertAllowed(ctx.actor, { action: "issueInvoice" });
  const { outcomes, deliveryIds } = await ctx.db.transaction((tx) =>
    issueAndClaimEmailsInTransaction(tx, ctx, {
      workspaceId: ctx.workspaceId,
      invoiceIds: [input.invoiceId],
      actor: auditActorOf(ctx.actor),
      issuedByMemberId: memberIdOf(ctx.actor) ?? undefined,
    }),
  );
  if (deliveryIds.length > 0) await ctx.enqueue(deliveryIds);
  const [outcome] = outcomes;
  if (!outcome) throw new Error(`no outcome for invoice ${input.invoiceId}`);
  if (!outcome.ok) throw outcome.error;
  const { ok: _, ...result } = outcome;
  return result;
}
