// Claims the e-mailing of an issued invoice, once per send request, and hands it to the queue.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { parseInput } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { claimInvoiceEmails } from "./repo.ts";

export const SendInvoiceInput = z.object({
  invoiceId: z.uuid(),
  /** Identifies one "send" intent (button click id, CLI run id): a retry or double click reuses it. */
  sendRequestId: z.string().trim().min(1).max(200),
  /** Overrides the client's billing contacts for this send. */
  to: z.array(z.email()).min(1).max(20).optional(),
});
export type SendInvoiceInput = z.input<typeof SendInvoiceInput>;

export async function sendInvoice(
  ctx: Ctx,
  rawInput: SendInvoiceInput,
): Promise<{ deliveryId: string | null; alreadyDone: boolean; to: string[] }> {
  assertAllowed(ctx.actor, { action: "issueInvoice" });
  const { workspaceId } = ctx;
  const actor = auditActorOf(ctx.actor);
  const input = parseInput(SendInvoiceInput, rawInput);
  const [result] = await ctx.db.transaction((tx) =>
    claimInvoiceEmails(tx, { workspaceId, actor, requests: [input] }),
  );
  if (!result) throw new Error(`no e-mail claim for invoice ${input.invoiceId}`);
  if (!result.ok) throw result.error;
  if (result.deliveryId) await ctx.enqueue([result.deliveryId]);
  return { deliveryId: result.deliveryId, alreadyDone: result.deliveryId === null, to: result.to };
}
