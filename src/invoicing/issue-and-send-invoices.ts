// **Issue & send** all the drafts of a digest or a billing cycle: only billing issues; each batch of
// invoices is issued and their e-mails claimed in one transaction, so a second click is a repeat
// that issues and e-mails nothing more.
import type { Ctx } from "../context.ts";
import { assertAllowed, auditActorOf, memberIdOf } from "../domain/permissions.ts";
import { type IssueAndSendOutcome, issueAndClaimEmailsInTransaction } from "./issue-repo.ts";

// Drafts per transaction (see issue-invoices.ts).
const BATCH = 100;

export async function issueAndSendInvoices(
  ctx: Ctx,
  input: { invoiceIds: string[] },
): Promise<IssueAndSendOutcome[]> {
  assertAllowed(ctx.actor, { action: "issueInvoice" });
  const ids = [...new Set(input.invoiceIds)];
  const results: IssueAndSendOutcome[] = [];
  const toEnqueue: string[] = [];
  try {
    for (let start = 0; start < ids.length; start += BATCH) {
      const { outcomes, deliveryIds } = await ctx.db.transaction((tx) =>
        issueAndClaimEmailsInTransaction(tx, ctx, {
          workspaceId: ctx.workspaceId,
          invoiceIds: ids.slice(start, start + BATCH),
          actor: auditActorOf(ctx.actor),
          issuedByMemberId: memberIdOf(ctx.actor) ?? undefined,
        }),
      );
      results.push(...outcomes);
      toEnqueue.push(...deliveryIds);
    }
  } finally {
    if (toEnqueue.length > 0) await ctx.enqueue(toEnqueue);
  }
  return results;
}
