// The open invoices of one client, oldest due first: what an action on a debtor of `/aging` acts on.
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { clients, invoices, workspaces } from "../db/schema/index.ts";

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
  const rows = await deps.db
    .select({
      invoiceId: invoices.id,
      number: invoices.number,
      openMinor: invoices.openMinor,
      currency: invoices.currency,
      dueDate: invoices.dueDate,
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.workspaceId, input.workspaceId),
        eq(invoices.clientId, input.clientId),
        inArray(invoices.status, ["issued", "partially_paid"]),
        gt(invoices.openMinor, 0),
      ),
    )
    .orderBy(asc(invoices.dueDate), asc(invoices.number))
    .limit(input.limit ?? 10);
  return {
    clientName: client.name,
    locale: client.locale,
    invoices: rows.map((r) => ({
      ...r,
      currency: r.currency.trim(),
      dueDate: r.dueDate ? String(r.dueDate) : null,
    })),
  };
}
