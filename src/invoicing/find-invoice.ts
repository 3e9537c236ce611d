// One invoice as an operator names it (legal number or id), with its lines, payments and notes.
import type { Ctx } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import {
  findClient,
  findInvoice,
  findInvoiceByNumber,
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Any member may look an invoice up (no permission check): what they then do with it is checked. */
export async function findInvoiceByReference(ctx: Ctx, input: { reference: string }): Promise<InvoiceRow> {
  const reference = input.reference.trim();
  const invoice = UUID.test(reference)
    ? await findInvoice(ctx.db, ctx.workspaceId, reference)
    : await findInvoiceByNumber(ctx.db, ctx.workspaceId, reference);
  if (!invoice) {
    throw new DomainError("invoice.not_found", `no invoice "${reference}"`, {
      userMessage: `No invoice "${reference}" in this workspace: give its number (e.g. F-2026-00001) or its id (drafts have only an id; \`cobro invoice list --status draft\` shows them).`,
    });
  }
  return invoice;
}

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
