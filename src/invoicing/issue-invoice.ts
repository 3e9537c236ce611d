// Issues a draft: freezes parties, lines, totals and rate, allocates the legal number gaplessly
// from the series counter row, all in one transaction (see issue-drafts.ts).
import { z } from "zod";
import type { Ctx } from "../context.ts";
import type { Db } from "../db/client.ts";
import { parseInput } from "../domain/errors.ts";
import { assertAllowed, auditActorOf, memberIdOf } from "../domain/permissions.ts";
import { type CorrectionRecord, issueDraftsInTransaction } from "./issue-drafts.ts";
import type { InvoiceLineRow, InvoiceRow } from "./repo.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date");

export const IssueInvoiceInput = z.object({
  invoiceId: z.uuid(),
  /** Defaults to today in the workspace's time zone; never in the future, never before the series' last. */
  issueDate: isoDate.optional(),
});
export type IssueInvoiceInput = z.input<typeof IssueInvoiceInput>;

export type IssueInvoiceResult = { invoice: InvoiceRow; lines: InvoiceLineRow[]; alreadyDone: boolean };

/**
 * Issues inside the caller's transaction (used by credit and interest notes). Returns the notice
 * delivery ids to enqueue once the transaction has committed.
 */
export async function issueInvoiceInTransaction(
  tx: Db,
  deps: Pick<Ctx, "now">,
  input: z.output<typeof IssueInvoiceInput> & {
    workspaceId: string;
    /** The audit name of who issues (auditActorOf), and the member when one does. */
    actor: string;
    issuedByMemberId?: string | undefined;
  },
  correction?: CorrectionRecord,
): Promise<IssueInvoiceResult & { deliveryIds: string[] }> {
  const { outcomes, deliveryIds } = await issueDraftsInTransaction(tx, deps, {
    ...input,
    invoiceIds: [input.invoiceId],
    correction,
  });
  const [outcome] = outcomes;
  if (!outcome) throw new Error(`no outcome for invoice ${input.invoiceId}`);
  if (!outcome.ok) throw outcome.error;
  return { invoice: outcome.invoice, lines: outcome.lines, alreadyDone: outcome.alreadyDone, deliveryIds };
}

export async function issueInvoice(ctx: Ctx, rawInput: IssueInvoiceInput): Promise<IssueInvoiceResult> {
  assertAllowed(ctx.actor, { action: "issueInvoice" });
  const input = parseInput(IssueInvoiceInput, rawInput);
  const { deliveryIds, ...result } = await ctx.db.transaction((tx) =>
    issueInvoiceInTransaction(tx, ctx, {
      ...input,
      workspaceId: ctx.workspaceId,
      actor: auditActorOf(ctx.actor),
      issuedByMemberId: memberIdOf(ctx.actor) ?? undefined,
    }),
  );
  if (deliveryIds.length > 0) await ctx.enqueue(deliveryIds);
  return result;
}
