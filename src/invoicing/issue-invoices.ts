// Issues many drafts at once and reports per invoice.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { isDomainError, parseInput } from "../domain/errors.ts";
import { assertAllowed, auditActorOf, memberIdOf } from "../domain/permissions.ts";
import { IssueInvoiceInput } from "./issue-invoice.ts";
import { issueDraftsInTransaction } from "./issue-repo.ts";

export const IssueInvoicesInput = z.object({
  invoiceIds: z.array(z.uuid()).min(1).max(5000),
  issueDate: IssueInvoiceInput.shape.issueDate,
});
export type IssueInvoicesInput = z.input<typeof IssueInvoicesInput>;

export type IssueInvoicesReport = {
  invoiceId: string;
  ok: boolean;
  number?: string | null;
  alreadyDone?: boolean;
  error?: { code: string; message: string };
}[];

// Drafts per transaction: each batch locks its series' counter row once and sends its statements
// together; small enough that other issuers wait on the lock for a fraction of a second.
const BATCH = 100;

/**
 * Refused drafts (missing tax id, no rate) take no number and are reported one by one; the others
 * go out gapless, in the order given, one transaction per batch.
 */
export async function issueInvoices(ctx: Ctx, rawInput: IssueInvoicesInput): Promise<IssueInvoicesReport> {
  assertAllowed(ctx.actor, { action: "issueInvoice" });
  const input = parseInput(IssueInvoicesInput, rawInput);
  const ids = [...new Set(input.invoiceIds)];
  const report: IssueInvoicesReport = [];
  const toEnqueue: string[] = [];
  try {
    for (let start = 0; start < ids.length; start += BATCH) {
      const batch = ids.slice(start, start + BATCH);
      try {
        const { outcomes, deliveryIds } = await ctx.db.transaction((tx) =>
          issueDraftsInTransaction(tx, ctx, {
            ...input,
            invoiceIds: batch,
            workspaceId: ctx.workspaceId,
            actor: auditActorOf(ctx.actor),
            issuedByMemberId: memberIdOf(ctx.actor) ?? undefined,
          }),
        );
        toEnqueue.push(...deliveryIds);
        for (const o of outcomes) {
          report.push(
            o.ok
              ? { invoiceId: o.invoiceId, ok: true, number: o.invoice.number, alreadyDone: o.alreadyDone }
              : {
                  invoiceId: o.invoiceId,
                  ok: false,
                  error: { code: o.error.code, message: o.error.userMessage },
                },
          );
        }
      } catch (error) {
        // A refusal of the whole batch (e.g. the VERI*FACTU clock check) rolled it back: no number taken.
        if (!isDomainError(error)) throw error;
        for (const invoiceId of batch) {
          report.push({ invoiceId, ok: false, error: { code: error.code, message: error.userMessage } });
        }
      }
    }
  } finally {
    if (toEnqueue.length > 0) await ctx.enqueue(toEnqueue);
  }
  return report;
}
