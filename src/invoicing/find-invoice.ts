// One invoice as an operator names it (legal number or id), with its lines, payments and notes.
import { and, asc, eq } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { invoices } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import {
  findClient,
  findInvoice,
  findInvoiceByNumber,
  type InvoiceLineRow,
  type InvoiceRow,
  listInvoiceLines,
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

export async function findInvoiceByReference(
  deps: Pick<ServiceDeps, "db">,
  input: { workspaceId: string; reference: string },
): Promise<InvoiceRow> {
  const reference = input.reference.trim();
  const invoice = UUID.test(reference)
    ? await findInvoice(deps.db, input.workspaceId, reference)
    : await findInvoiceByNumber(deps.db, input.workspaceId, reference);
  if (!invoice) {
    throw new DomainError("invoice.not_found", `no invoice "${reference}"`, {
      userMessage: `No invoice "${reference}" in this workspace: give its number (e.g. F-2026-00001) or its id (drafts have only an id; \`cobro invoice list --status draft\` shows them).`,
    });
  }
  return invoice;
}

export async function loadInvoiceDetail(
  deps: Pick<ServiceDeps, "db">,
  input: { workspaceId: string; reference: string },
): Promise<InvoiceDetail> {
  const invoice = await findInvoiceByReference(deps, input);
  const { db } = deps;
  const [client, lines, payments, related, original] = await Promise.all([
    findClient(db, input.workspaceId, invoice.clientId),
    listInvoiceLines(db, input.workspaceId, invoice.id),
    listPayments(db, input.workspaceId, invoice.id),
    db
      .select({
        id: invoices.id,
        kind: invoices.kind,
        number: invoices.number,
        status: invoices.status,
        totalMinor: invoices.totalMinor,
        issueDate: invoices.issueDate,
      })
      .from(invoices)
      .where(and(eq(invoices.workspaceId, input.workspaceId), eq(invoices.correctsInvoiceId, invoice.id)))
      .orderBy(asc(invoices.createdAt)),
    invoice.correctsInvoiceId
      ? findInvoice(db, input.workspaceId, invoice.correctsInvoiceId)
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
