// Puts a draft on hold (it will not be issued by bulk runs) or releases it back to draft.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { parseInput } from "../domain/errors.ts";
import { invoiceNotFound, transitionInvoice } from "../domain/invoice-state.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { findInvoice, type InvoiceRow, notifyInvoiceEvent, updateInvoice } from "./repo.ts";

export const HoldInvoiceInput = z.object({
  invoiceId: z.uuid(),
  hold: z.boolean().default(true),
  reason: z.string().trim().max(500).optional(),
});
export type HoldInvoiceInput = z.input<typeof HoldInvoiceInput>;

export async function holdInvoice(
  ctx: Ctx,
  rawInput: HoldInvoiceInput,
): Promise<{ invoice: InvoiceRow; alreadyDone: boolean }> {
  assertAllowed(ctx.actor, { action: "holdInvoice" });
  const input = parseInput(HoldInvoiceInput, rawInput);
  const { workspaceId } = ctx;
  const actor = auditActorOf(ctx.actor);
  const result = await ctx.db.transaction(async (tx) => {
    const invoice = await findInvoice(tx, workspaceId, input.invoiceId, true);
    if (!invoice) {
      throw invoiceNotFound();
    }
    const wanted = input.hold ? "held" : "draft";
    if (invoice.status === wanted) return { invoice, alreadyDone: true, notice: null };
    const status = transitionInvoice(invoice.status, input.hold ? "hold" : "release");
    const updated = await updateInvoice(tx, invoice.id, { status, updatedAt: ctx.now() });
    if (!updated) throw new Error(`invoice ${invoice.id} vanished`);
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: input.hold ? "invoice.held" : "invoice.released",
      entity: "invoice",
      entityId: invoice.id,
      before: { status: invoice.status },
      after: { status, reason: input.reason ?? null },
    });
    const notice = input.hold
      ? await notifyInvoiceEvent(tx, {
          workspaceId,
          invoiceId: invoice.id,
          event: "held",
          occurrence: String(ctx.now().getTime()),
          actor,
          detail: { reason: input.reason ?? null },
        })
      : null;
    return { invoice: updated, alreadyDone: false, notice };
  });
  if (result.notice) await ctx.enqueue([result.notice]);
  return { invoice: result.invoice, alreadyDone: result.alreadyDone };
}
