// One invoice as an operator names it (legal number or id), with its lines, payments and notes.
import type { Ctx } from "../context.ts";
import { findInvoiceByReference } from "./find-invoice.ts";
import {
  findClient,
  findInvoice,
  type InvoiceLineRow,
  type InvoiceRow,
  listInvoiceLines,
  listNotesCorrecting,
  listPayments,
  type PaymentRow,
} from "./repo.ts";

export type InvoiceDetail = {
  invoice: InvoiceRow;
  clientName: string;
  lines: InvoiceLineRow[];
  payments: PaymentRow[];
  /** Credit and interest notes that reference it, oldest first. */
  related: Pick<InvoiceRow, "id" | "kind" | "number" | "status" | "totalMinor" | "issueDate">[];
  /** The invoice a credit or interest note refers to. */
  refersTo: string | null;
};

/** Any member may read an invoice's detail (no permission check). */
export async function loadInvoiceDetail(ctx: Ctx, input: { reference: string }): Promise<InvoiceDetail> {
  const invoice = await findInvoiceByReference(ctx, input);
  const { db, workspaceId } = ctx;
  const [client, lines, payments, related, original] = await Promise.all([
    findClient(db, workspaceId, invoice.clientId),
    listInvoiceLines(db, workspaceId, invoice.id),
    listPayments(db, workspaceId, invoice.id),
    listNotesCorrecting(db, workspaceId, invoice.id),
    invoice.correctsInvoiceId
      ? findInvoice(db, workspaceId, invoice.correctsInvoiceId)
      : Promise.resolve(undefined),
  ]);
  return {
    invoice,
    clientName: client?.name ?? invoice.buyer?.name ?? "",
    lines,
    payments,
    related,
    refersTo: original?.number ?? null,
  };
}
