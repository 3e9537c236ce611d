// The frame of every collections button (pause, promise, dispute, assign, remind now, approve the
// formal notice, a payment on its way): one transaction on a receivable invoice, then the claimed
// deliveries handed to the queue once it has committed.
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { DomainError } from "../domain/errors.ts";
import { localToday } from "../domain/overdue.ts";
import { auditActorOf } from "../domain/permissions.ts";
import { notifyInvoiceEvent } from "../invoicing/index.ts";
import { findWorkspaceById, type WorkspaceRow } from "../workspace/index.ts";
import { ensureCollection, findInvoiceCollection, type InvoiceCollectionView } from "./repo.ts";

type InvoiceEventNotice = Parameters<typeof notifyInvoiceEvent>[1];

/** The invoice acted on, checked, and what an action writes about it in its transaction. */
export type CollectionTarget = {
  workspace: WorkspaceRow;
  /** A receivable invoice, numbered. */
  view: InvoiceCollectionView & { number: string };
  /** The workspace's calendar day. */
  today: string;
  /** The audit row of this action on the invoice, in the actor's name. */
  audit: (action: string, change: { before: unknown; after: unknown }) => Promise<void>;
  /** The notice in the invoice's Slack thread: its delivery id, or null when already claimed. */
  notify: (notice: Pick<InvoiceEventNotice, "event" | "occurrence" | "detail">) => Promise<string | null>;
};

export async function runCollectionAction<R>(
  ctx: Ctx,
  input: {
    invoiceId: string;
    act: (tx: Db, target: CollectionTarget) => Promise<{ result: NoInfer<R>; ids: string[] }>;
  },
): Promise<R> {
  const { result, ids } = await ctx.db.transaction(async (tx) =>
    input.act(tx, await loadCollectionTarget(tx, ctx, input.invoiceId)),
  );
  if (ids.length > 0) await ctx.enqueue(ids);
  return result;
}

/** Workspace, invoice and local "today" for a collection action; refuses invoices of other workspaces. */
async function loadCollectionTarget(tx: Db, ctx: Ctx, invoiceId: string): Promise<CollectionTarget> {
  const { workspaceId } = ctx;
  const workspace = await findWorkspaceById(tx, workspaceId);
  const view = workspace ? await findInvoiceCollection(tx, workspaceId, invoiceId) : null;
  if (!workspace || !view) {
    throw new DomainError("invoice.not_found", `invoice ${invoiceId} not found in ${workspaceId}`, {
      userMessage: "This invoice no longer exists in this workspace.",
      messageKey: "invoicing.error.not_found",
    });
  }
  const number = view.number;
  if (!["issued", "partially_paid", "paid"].includes(view.status) || !number) {
    throw new DomainError("collection.not_receivable", `invoice ${invoiceId} is ${view.status}`, {
      userMessage: `Invoice ${view.number ?? "(draft)"} is ${view.status}: there is nothing to collect.`,
      messageKey: "collections.error.not_receivable",
      messageValues: { number: view.number ?? "none", status: view.status },
    });
  }
  await ensureCollection(tx, workspaceId, invoiceId);
  const actor = auditActorOf(ctx.actor);
  return {
    workspace,
    view: { ...view, number },
    today: localToday(ctx.now(), workspace.timeZone),
    audit: (action, change) =>
      recordAudit(tx, { workspaceId, actor, action, entity: "invoice", entityId: invoiceId, ...change }),
    notify: (notice) => notifyInvoiceEvent(tx, { workspaceId, invoiceId, actor, ...notice }),
  };
}
