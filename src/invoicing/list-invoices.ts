// Invoices of a workspace for the CLI, newest first, filtered by status and client.
import { and, desc, eq, ilike, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { clients, INVOICE_STATUSES, invoices } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import { parseInput } from "../domain/parse-input.ts";

export const ListInvoicesInput = z.object({
  status: z.enum(INVOICE_STATUSES).optional(),
  /** A client's id, external id or name (case-insensitive, exact). */
  client: z.string().trim().min(1).max(200).optional(),
  limit: z.int().min(1).max(1000).default(200),
});
export type ListInvoicesInput = z.input<typeof ListInvoicesInput>;

export type InvoiceListRow = {
  id: string;
  number: string | null;
  kind: string;
  status: string;
  clientName: string;
  currency: string;
  issueDate: string | null;
  dueDate: string | null;
  totalMinor: number;
  openMinor: number;
};

/** Any member may list invoices (no permission check). */
export async function listInvoices(
  ctx: Ctx,
  rawInput: ListInvoicesInput,
): Promise<{ invoices: InvoiceListRow[]; truncated: boolean }> {
  const input = parseInput(ListInvoicesInput, rawInput);
  const { db, workspaceId } = ctx;
  const filters: SQL[] = [eq(invoices.workspaceId, workspaceId)];
  if (input.status) filters.push(eq(invoices.status, input.status));
  if (input.client) {
    const isUuid = z.uuid().safeParse(input.client).success;
    const found = await db
      .select({ id: clients.id, name: clients.name })
      .from(clients)
      .where(
        and(
          eq(clients.workspaceId, workspaceId),
          or(
            ...(isUuid ? [eq(clients.id, input.client)] : []),
            eq(clients.externalId, input.client),
            ilike(clients.name, input.client.replace(/[\\%_]/g, "\\$&")),
          ),
        ),
      )
      .limit(5);
    if (found.length === 0) {
      throw new DomainError("client.not_found", `no client "${input.client}"`, {
        userMessage: `No client "${input.client}": use its id, external id or exact name.`,
      });
    }
    if (found.length > 1) {
      throw new DomainError("client.ambiguous", `several clients match "${input.client}"`, {
        userMessage: `"${input.client}" matches several clients (${found.map((c) => c.name).join(", ")}): use the client's id.`,
      });
    }
    filters.push(eq(invoices.clientId, found[0]?.id ?? ""));
  }
  const rows = await db
    .select({
      id: invoices.id,
      number: invoices.number,
      kind: invoices.kind,
      status: invoices.status,
      clientName: clients.name,
      currency: invoices.currency,
      issueDate: invoices.issueDate,
      dueDate: invoices.dueDate,
      totalMinor: invoices.totalMinor,
      openMinor: invoices.openMinor,
    })
    .from(invoices)
    .innerJoin(clients, eq(clients.id, invoices.clientId))
    .where(and(...filters))
    .orderBy(sql`${invoices.issueDate} desc nulls first`, desc(invoices.number), desc(invoices.createdAt))
    .limit(input.limit + 1);
  return {
    invoices: rows.slice(0, input.limit).map((r) => ({ ...r, currency: r.currency.trim() })),
    truncated: rows.length > input.limit,
  };
}
