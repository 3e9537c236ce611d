// The open invoices of one client, oldest due first: what an action on a debtor of `/aging` acts on.
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { clients, workspaces } from "../db/schema/index.ts";
import { openInvoicesOfClient } from "./repo.ts";

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
  const [client] = await deps.db
    .select({ name: clients.name, locale: workspaces.locale })
    .from(clients)
    .innerJoin(workspaces, eq(workspaces.id, clients.workspaceId))
    .where(and(eq(clients.workspaceId, input.workspaceId), eq(clients.id, input.clientId)));
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
