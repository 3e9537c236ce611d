// A draft as the Edit modal shows it; only billing, only drafts (issued invoices are immutable).
import type { Ctx } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { invoiceNotFound, transitionInvoice } from "../domain/invoice-state.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { findClient, findInvoice, findWorkspace, listInvoiceLines } from "./repo.ts";
import type { EditDraftModel } from "./slack/edit-draft-modal.ts";

export async function loadInvoiceDraft(ctx: Ctx, input: { invoiceId: string }): Promise<EditDraftModel> {
  assertAllowed(ctx.actor, { action: "editInvoice" });
  const { db, workspaceId } = ctx;
  const draft = await findInvoice(db, workspaceId, input.invoiceId);
  if (!draft) {
    throw invoiceNotFound();
  }
  if (draft.status !== "draft" && draft.status !== "held") {
    throw new DomainError("invoice.not_draft", `invoice ${draft.id} is ${draft.status}`, {
      userMessage: `Invoice ${draft.number ?? ""} is already issued and cannot be edited: correct it with a credit note.`,
      messageKey: "invoicing.error.already_issued",
      messageValues: { number: draft.number ?? "" },
    });
  }
  transitionInvoice(draft.status, "edit");
  const [lines, client, workspace] = await Promise.all([
    listInvoiceLines(db, workspaceId, draft.id),
    findClient(db, workspaceId, draft.clientId),
    findWorkspace(db, workspaceId),
  ]);
  return {
    invoiceId: draft.id,
    clientName: client?.name ?? "client",
    currency: draft.currency.trim(),
    totalMinor: draft.totalMinor,
    locale: workspace?.locale ?? "en",
    lines: lines.map((l) => ({
      description: l.description,
      quantityMilli: l.quantityMilli,
      unitCode: l.unitCode,
      unitPriceMinor: l.unitPriceMinor,
      priceBaseQuantityMilli: l.priceBaseQuantityMilli,
      vatRateBp: l.vatRateBp,
    })),
    servicePeriodStart: draft.servicePeriodStart ? String(draft.servicePeriodStart) : null,
    servicePeriodEnd: draft.servicePeriodEnd ? String(draft.servicePeriodEnd) : null,
    notes: draft.notes ?? null,
  };
}
