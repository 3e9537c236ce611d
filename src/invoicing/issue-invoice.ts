// Issues a draft: freezes parties, lines, totals and rate, allocates the legal number gaplessly
// from the series counter row, all in one transaction (see issue-repo.ts).
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { parseInput } from "../domain/errors.ts";
import { assertAllowed, auditActorOf, memberIdOf } from "../domain/permissions.ts";
import { issueInvoiceInTransaction } from "./issue-repo.ts";
import type { InvoiceLineRow, InvoiceRow } from "./repo.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date");

export const IssueInvoiceInput = z.object({
  invoiceId: z.uuid(),
  /** Defaults to today in the workspace's time zone; never in the future, never before the series' last. */
  issueDate: isoDate.optional(),
});
export type IssueInvoiceInput = z.input<typeof IssueInvoiceInput>;

export type IssueInvoiceResult = { invoice: InvoiceRow; lines: InvoiceLineRow[]; alreadyDone: boolean };

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
