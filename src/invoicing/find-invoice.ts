// One invoice as an operator names it (legal number or id).
import type { Ctx } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { findInvoice, findInvoiceByNumber, type InvoiceRow } from "./repo.ts";

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
