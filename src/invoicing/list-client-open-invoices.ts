// The open invoices of one client, oldest due first: what an action on a debtor of `/aging` acts on.
import type { Db } from "../db/client.ts";
import { findClientName, openInvoicesOfClient } from "./repo.ts";

export type ClientOpenInvoice = {
  invoiceId: string;
  number: string | null;
  openMinor: number;
  currency: string;
  dueDate: string | null;
};

export async function listClientOpenInvoices(
  deps: { db: Db },
  input: { workspaceId: string; clientId: string; limit?: number },
): Promise<{ clientName: string | null; invoices: ClientOpenInvoice[]; locale: string }> {
  const client = await findClientName(deps.db, input.workspaceId, input.clientId);
  if (!client) return { clientName: null, invoices: [], locale: "en" };
  const rows = await openInvoicesOfClient(deps.db, input.workspaceId, input.clientId, {
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
