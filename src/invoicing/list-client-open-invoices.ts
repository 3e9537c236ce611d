// The open invoices of one client, oldest due first: what an action on a debtor of `/aging` acts on.
import type { Ctx } from "../context.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { findClientName, openInvoicesOfClient } from "./repo.ts";

export type ClientOpenInvoice = {
  invoiceId: string;
  number: string | null;
  openMinor: number;
  currency: string;
  dueDate: string | null;
};

/** For whoever acts on collections (a payment, a promise, a reminder on one of the client's invoices). */
export async function listClientOpenInvoices(
  ctx: Ctx,
  input: { clientId: string; limit?: number },
): Promise<{ clientName: string | null; invoices: ClientOpenInvoice[]; locale: string }> {
  assertAllowed(ctx.actor, { action: "collect" });
  const client = await findClientName(ctx.db, ctx.workspaceId, input.clientId);
  if (!client) return { clientName: null, invoices: [], locale: "en" };
  const rows = await openInvoicesOfClient(ctx.db, ctx.workspaceId, input.clientId, {
    limit: input.limit ?? 10,
  });
  return {
    clientName: client.name,
    locale: client.locale,
    invoices: rows.map((r) => ({
      invoiceId: r.id,
      number: r.number,
      openMinor: r.openMinor,
      currency: r.currency.trim(),
      dueDate: r.dueDate ? String(r.dueDate) : null,
    })),
  };
}
