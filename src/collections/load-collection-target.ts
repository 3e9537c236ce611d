// The invoice a collection action (Record payment, Promise to pay, Pause…) is about, checked.
import type { Db } from "../db/client.ts";
import { DomainError } from "../domain/errors.ts";
import { localToday } from "../domain/overdue.ts";
import { findWorkspaceById, type WorkspaceRow } from "../workspace/index.ts";
import { ensureCollection, findInvoiceCollection, type InvoiceCollectionView } from "./repo.ts";

export type CollectionTarget = { workspace: WorkspaceRow; view: InvoiceCollectionView; today: string };

/** Workspace, invoice and local "today" for a collection action; refuses invoices of other workspaces. */
export async function loadCollectionTarget(
  db: Db,
  workspaceId: string,
  invoiceId: string,
  now: Date,
): Promise<CollectionTarget> {
  const workspace = await findWorkspaceById(db, workspaceId);
  const view = workspace ? await findInvoiceCollection(db, workspaceId, invoiceId) : null;
  if (!workspace || !view) {
    throw new DomainError("invoice.not_found", `invoice ${invoiceId} not found in ${workspaceId}`, {
      userMessage: "This invoice no longer exists in this workspace.",
      messageKey: "invoicing.error.not_found",
    });
  }
  if (!["issued", "partially_paid", "paid"].includes(view.status) || !view.number) {
    throw new DomainError("collection.not_receivable", `invoice ${invoiceId} is ${view.status}`, {
      userMessage: `Invoice ${view.number ?? "(draft)"} is ${view.status}: there is nothing to collect.`,
      messageKey: "collections.error.not_receivable",
      messageValues: { number: view.number ?? "none", status: view.status },
    });
  }
  await ensureCollection(db, workspaceId, invoiceId);
  return { workspace, view, today: localToday(now, workspace.timeZone) };
}
