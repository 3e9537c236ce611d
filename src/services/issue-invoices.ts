// Issues many drafts at once and reports per invoice.
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { isDomainError } from "../domain/errors.ts";
import { IssueInvoiceInput, issueInvoiceInTransaction } from "./issue-invoice.ts";
import { parseInput } from "./parse-input.ts";

export const IssueInvoicesInput = z.object({
  workspaceId: z.uuid(),
  invoiceIds: z.array(z.uuid()).min(1).max(5000),
  actor: z.string().min(1).default("system"),
  issuedByMemberId: z.uuid().optional(),
});
export type IssueInvoicesInput = z.input<typeof IssueInvoicesInput>;

export type IssueInvoicesReport = {
  invoiceId: string;
  ok: boolean;
  number?: string | null;
  alreadyDone?: boolean;
  error?: { code: string; message: string };
}[];

/**
 * One transaction per invoice, in the order given: a refused draft (missing tax id, no rate)
 * rolls back alone and returns its number to the counter, so the others still go out gapless,
 * and the series row lock is held for one invoice at a time rather than for the whole batch.
 */
export async function issueInvoices(
  deps: ServiceDeps,
  rawInput: IssueInvoicesInput,
): Promise<IssueInvoicesReport> {
  const input = parseInput(IssueInvoicesInput, rawInput);
  const report: IssueInvoicesReport = [];
  const toEnqueue: string[] = [];
  try {
    await issueEach();
  } finally {
    if (toEnqueue.length > 0) await deps.enqueue(toEnqueue);
  }
  return report;

  async function issueEach() {
    for (const invoiceId of new Set(input.invoiceIds)) {
      const one = parseInput(IssueInvoiceInput, {
        workspaceId: input.workspaceId,
        invoiceId,
        actor: input.actor,
        ...(input.issuedByMemberId ? { issuedByMemberId: input.issuedByMemberId } : {}),
      });
      try {
        const result = await deps.db.transaction((tx) => issueInvoiceInTransaction(tx, deps, one));
        toEnqueue.push(...result.deliveryIds);
        report.push({ invoiceId, ok: true, number: result.invoice.number, alreadyDone: result.alreadyDone });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        report.push({ invoiceId, ok: false, error: { code: error.code, message: error.userMessage } });
      }
    }
  }
}
