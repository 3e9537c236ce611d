// Invoices of a workspace for the CLI, newest first, filtered by status and client.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { DomainError, parseInput } from "../domain/errors.ts";
import { findClientsNamed, INVOICE_STATUSES, listInvoiceRows } from "./repo.ts";

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
  let clientId: string | undefined;
  if (input.client) {
    const isUuid = z.uuid().safeParse(input.client).success;
    const found = await findClientsNamed(db, workspaceId, input.client, isUuid);
    if (found.length === 0) {
      throw new DomainError("client.not_found", `no client "${input.client}"`, {
        userMessage: `No client "${input.client}": use its id, external id or exact name.`,
        messageKey: "invoicing.error.client_not_found",
        messageValues: { name: input.client },
      });
    }
    if (found.length > 1) {
      throw new DomainError("client.ambiguous", `several clients match "${input.client}"`, {
        userMessage: `"${input.client}" matches several clients (${found.map((c) => c.name).join(", ")}): use the client's id.`,
        messageKey: "invoicing.error.client_several_match",
        messageValues: { name: input.client, clients: found.map((c) => c.name).join(", "), hint: "id" },
      });
    }
    clientId = found[0]?.id ?? "";
  }
  const rows = await listInvoiceRows(db, { workspaceId, status: input.status, clientId }, input.limit + 1);
  return {
    invoices: rows.slice(0, input.limit).map((r) => ({ ...r, currency: r.currency.trim() })),
    truncated: rows.length > input.limit,
  };
}
