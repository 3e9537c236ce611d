// Cancels a Spanish invoice that never reached its client: the VERI*FACTU anulación record is
// chained (Orden HAC/1177/2024 art. 7), the invoice becomes void and its number stays used. Once
// handed over (e-mailed or e-mail under way, opened, paid or corrected) only a rectificativa can
// correct it, as the AEAT requires.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { DomainError, parseInput } from "../domain/errors.ts";
import { invoiceNotFound } from "../domain/invoice-state.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { verifactuScope } from "../domain/verifactu.ts";
import {
  findInvoice,
  findInvoiceEmailDelivery,
  INVOICE_EMAIL_PAYLOAD,
  type InvoiceRow,
  listAltaAndAnulacionRecords,
  notifyInvoiceEvent,
  sumSettlements,
  updateInvoice,
} from "./repo.ts";
import { appendAnulacionRecord } from "./verifactu/chain-repo.ts";
import type { VerifactuRecordRow } from "./verifactu/repo.ts";

export const CancelInvoiceInput = z.object({
  invoiceId: z.uuid(),
  reason: z.string().trim().min(1).max(500),
});
export type CancelInvoiceInput = z.input<typeof CancelInvoiceInput>;

export type CancelInvoiceResult = {
  invoice: InvoiceRow;
  record: VerifactuRecordRow;
  alreadyDone: boolean;
};

export async function cancelInvoice(ctx: Ctx, rawInput: CancelInvoiceInput): Promise<CancelInvoiceResult> {
  assertAllowed(ctx.actor, { action: "issueInvoice" });
  const actor = auditActorOf(ctx.actor);
  const input = parseInput(CancelInvoiceInput, rawInput);
  const { workspaceId } = ctx;
  const result = await ctx.db.transaction(async (tx) => {
    const invoice = await findInvoice(tx, workspaceId, input.invoiceId, true);
    if (!invoice) throw invoiceNotFound();
    const records = await listAltaAndAnulacionRecords(tx, workspaceId, invoice.id);
    const alta = records.find((r) => r.kind === "alta");
    const done = records.find((r) => r.kind === "anulacion");
    if (done) return { invoice, record: done, alreadyDone: true, notice: null };
    if (!alta) {
      throw refuse(
        "not_verifactu",
        `${invoice.number ?? "This draft"} has no VERI*FACTU record to cancel. A draft is simply deleted; any other issued invoice is corrected with a credit note.`,
        { number: invoice.number ?? "none" },
      );
    }
    if (invoice.kind === "credit_note") {
      throw refuse(
        "credit_note",
        `${invoice.number} is a rectificativa: correct it with a new invoice rather than cancelling it.`,
        { number: invoice.number ?? "" },
      );
    }
    const handedOver = await handOverOf(tx, invoice);
    if (handedOver) {
      throw refuse(
        "handed_over",
        `${invoice.number} has already reached the client (${HANDED_OVER[handedOver]}): the AEAT only allows cancelling an invoice that was never handed over. Correct it with a credit note (cobro invoice credit ${invoice.number} --reason "…").`,
        { number: invoice.number ?? "", reasonKey: `invoicing.cancel.handed_over.${handedOver}` },
      );
    }
    const scope = verifactuScope(invoice.seller);
    const record = await appendAnulacionRecord(
      tx,
      {
        workspaceId,
        invoiceId: invoice.id,
        issuerNif: alta.issuerNif,
        seriesNumber: alta.seriesNumber,
        issueDate: alta.issueDate,
        invoiceType: alta.invoiceType,
        ...(scope.applies ? { timeZone: scope.timeZone } : {}),
      },
      ctx.now(),
    );
    const voided = await updateInvoice(tx, invoice.id, {
      status: "void",
      openMinor: 0,
      updatedAt: ctx.now(),
    });
    if (!voided) throw new Error(`invoice ${invoice.id} vanished`);
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: "invoice.cancelled",
      entity: "invoice",
      entityId: invoice.id,
      before: { status: invoice.status, openMinor: invoice.openMinor },
      after: { status: "void", openMinor: 0, reason: input.reason, verifactuRecord: record.sequence },
    });
    const notice = await notifyInvoiceEvent(tx, {
      workspaceId,
      invoiceId: invoice.id,
      event: "cancelled",
      actor,
      detail: { reason: input.reason },
    });
    return { invoice: voided, record, alreadyDone: false, notice };
  });
  const { notice, ...rest } = result;
  if (notice) await ctx.enqueue([notice]);
  return rest;
}

/** Why the client already has the invoice, or null when it never left Cobro. */
async function handOverOf(tx: Db, invoice: InvoiceRow): Promise<keyof typeof HANDED_OVER | null> {
  if (invoice.sentAt) return "emailed";
  if (invoice.receivedAt) return "opened";
  const settled = await sumSettlements(tx, invoice.workspaceId, invoice.id);
  if (settled.paidMinor > 0) return "paid";
  if (settled.creditedMinor > 0) return "credited";
  const email = await findInvoiceEmailDelivery(tx, invoice.workspaceId, invoice.id, INVOICE_EMAIL_PAYLOAD);
  return email ? "email_queued" : null;
}

/** How an invoice reached its client, as the CLI says it (Slack says it from the catalogue). */
const HANDED_OVER = {
  emailed: "it was e-mailed",
  opened: "the client opened it",
  paid: "a payment is recorded",
  credited: "a credit note corrects it",
  email_queued: "its e-mail is sent or on its way",
} as const;

function refuse(code: string, message: string, values: Record<string, string>): DomainError {
  return new DomainError(`invoice.cancel_${code}`, message, {
    userMessage: message,
    messageKey: `invoicing.error.cancel_${code}`,
    messageValues: values,
  });
}
