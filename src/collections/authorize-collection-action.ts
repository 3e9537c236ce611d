// Who may press a collections button on this invoice (permissions.ts), and what its modal shows.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { workspaces } from "../db/schema/index.ts";
import { invoiceNotFound } from "../domain/invoice-state.ts";
import { type Actor, assertAllowed } from "../domain/permissions.ts";
import { findInvoiceCollection } from "./repo.ts";

export type CollectionActionKind = "collect" | "pauseOrDispute";

export type CollectionTarget = {
  invoiceId: string;
  /** null for an invoice without a number yet: the reader's "this invoice" stands in. */
  number: string | null;
  currency: string;
  openMinor: number;
  locale: string;
};

export async function authorizeCollectionAction(
  deps: { db: Db },
  input: { workspaceId: string; invoiceId: string; actor: Actor; kind: CollectionActionKind },
): Promise<CollectionTarget> {
  // Roles alone settle most refusals without reading the invoice.
  if (input.kind === "collect") assertAllowed(input.actor, { action: "collect" });
  const invoice = await findInvoiceCollection(deps.db, input.workspaceId, input.invoiceId);
  if (!invoice) {
    throw invoiceNotFound();
  }
  if (input.kind === "pauseOrDispute") {
    assertAllowed(input.actor, { action: "pauseOrDispute", projectPmMemberId: invoice.pmMemberId });
  }
  const [workspace] = await deps.db
    .select({ locale: workspaces.locale })
    .from(workspaces)
    .where(eq(workspaces.id, input.workspaceId));
  return {
    invoiceId: invoice.invoiceId,
    number: invoice.number,
    currency: invoice.currency,
    openMinor: invoice.openMinor,
    locale: workspace?.locale ?? "en",
  };
}
