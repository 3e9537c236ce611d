// Who may press a collections button on this invoice (permissions.ts), and what its modal shows: a
// modal opens on it only when allowed, so a PM is refused before filling in a form. The action's own
// verb checks again on submission (a modal can outlive a role).
import type { Ctx } from "../context.ts";
import { invoiceNotFound } from "../domain/invoice-state.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { findInvoiceCollection } from "./repo.ts";

export type CollectionActionKind = "collect" | "pauseOrDispute";

export type CollectionModalTarget = {
  invoiceId: string;
  /** null for an invoice without a number yet: the reader's "this invoice" stands in. */
  number: string | null;
  currency: string;
  openMinor: number;
};

export async function authorizeCollectionAction(
  ctx: Ctx,
  input: { invoiceId: string; kind: CollectionActionKind },
): Promise<CollectionModalTarget> {
  // Roles alone settle most refusals without reading the invoice.
  if (input.kind === "collect") assertAllowed(ctx.actor, { action: "collect" });
  const invoice = await findInvoiceCollection(ctx.db, ctx.workspaceId, input.invoiceId);
  if (!invoice) {
    throw invoiceNotFound();
  }
  if (input.kind === "pauseOrDispute") {
    assertAllowed(ctx.actor, { action: "pauseOrDispute", projectPmMemberId: invoice.pmMemberId });
  }
  const { invoiceId, number, currency, openMinor } = invoice;
  return { invoiceId, number, currency, openMinor };
}
