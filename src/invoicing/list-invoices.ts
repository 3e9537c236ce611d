// Invoices of a workspace for the CLI, newest first, filtered by status and client.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { parseInput } from "../domain/errors.ts";
import { findClientByReference, INVOICE_STATUSES, listInvoiceRows } from "./repo.ts";

export const ListInvoicesInput = z.object({
  status: z.enum(INVOICE_STATUSES).optional(),
  /** A client's id, external id or name (any case), else the start of its name (accents optional). */
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
  // Found as every command finds a client: id, external id, exact name, else the start of its name.
  const clientId = input.client ? (await findClientByReference(db, workspaceId, input.client)).id : undefined;
  const rows = await listInvoiceRows(db, { workspaceId, status: input.status, clientId }, input.limit + 1);
  return {
    invoices: rows.slice(0, input.limit).map((r) => ({ ...r, currency: r.currency.trim() })),
    truncated: rows.length > input.limit,
  };
}
