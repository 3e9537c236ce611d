// Edits a draft (lines, period, notes) and recomputes its provisional totals; issued invoices refuse.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { parseInput } from "../domain/errors.ts";
import { sellerCountry } from "../domain/invoice-parties.ts";
import { invoiceNotFound, transitionInvoice } from "../domain/invoice-state.ts";
import {
  computeInvoiceTotals,
  defaultVatTreatment,
  resolveDraftLines,
  storedTotals,
} from "../domain/invoice-totals.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { DraftLineInput, type InvoiceDraftResult } from "./create-invoice-draft.ts";
import {
  findClient,
  findInvoice,
  findWorkspace,
  listInvoiceLines,
  replaceInvoiceLines,
  updateInvoice,
} from "./repo.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date");

export const UpdateInvoiceDraftInput = z.object({
  invoiceId: z.uuid(),
  lines: z.array(DraftLineInput).max(1000).optional(),
  servicePeriodStart: isoDate.nullable().optional(),
  servicePeriodEnd: isoDate.nullable().optional(),
  notes: z.string().max(2000).nullable().optional(),
});
export type UpdateInvoiceDraftInput = z.input<typeof UpdateInvoiceDraftInput>;

export async function updateInvoiceDraft(
  ctx: Ctx,
  rawInput: UpdateInvoiceDraftInput,
): Promise<InvoiceDraftResult> {
  assertAllowed(ctx.actor, { action: "editInvoice" });
  const input = parseInput(UpdateInvoiceDraftInput, rawInput);
  const { workspaceId } = ctx;
  return ctx.db.transaction(async (tx) => {
    const draft = await findInvoice(tx, workspaceId, input.invoiceId, true);
    if (!draft) {
      throw invoiceNotFound();
    }
    transitionInvoice(draft.status, "edit");
    const [workspace, client] = await Promise.all([
      findWorkspace(tx, workspaceId),
      findClient(tx, workspaceId, draft.clientId),
    ]);
    if (!workspace || !client) throw new Error(`draft ${draft.id} lost its workspace or client`);
    let lines = await listInvoiceLines(tx, workspaceId, draft.id);
    if (input.lines) {
      const resolved = resolveDraftLines(
        input.lines,
        defaultVatTreatment(sellerCountry(workspace.seller), client.country, client.profile, client.language),
      );
      const nets = computeInvoiceTotals(resolved).lineNetsMinor;
      lines = await replaceInvoiceLines(
        tx,
        workspaceId,
        draft.id,
        resolved.map((line, index) => ({ ...line, netMinor: nets[index] ?? 0 })),
      );
    }
    const totals = computeInvoiceTotals(lines, client.withholdingRateBp);
    const updated = await updateInvoice(tx, draft.id, {
      ...storedTotals(totals),
      ...(input.servicePeriodStart !== undefined ? { servicePeriodStart: input.servicePeriodStart } : {}),
      ...(input.servicePeriodEnd !== undefined ? { servicePeriodEnd: input.servicePeriodEnd } : {}),
      ...(input.notes !== undefined ? { notes: input.notes } : {}),
      updatedAt: ctx.now(),
    });
    if (!updated) throw new Error(`draft ${draft.id} vanished`);
    await recordAudit(tx, {
      workspaceId,
      actor: auditActorOf(ctx.actor),
      action: "invoice.draft_updated",
      entity: "invoice",
      entityId: draft.id,
      before: { totalMinor: draft.totalMinor },
      after: { totalMinor: updated.totalMinor, lines: lines.length },
    });
    return { invoice: updated, lines, alreadyDone: false };
  });
}
