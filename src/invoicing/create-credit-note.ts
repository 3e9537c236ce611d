// Corrects an issued invoice with a credit note (avoir / factura rectificativa) in its own
// series: issued at once, referencing the original, and lowering the original's open amount.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { DomainError, parseInput } from "../domain/errors.ts";
import { settlementAfterCredit, transitionInvoice } from "../domain/invoice-state.ts";
import { computeInvoiceTotals, resolveDraftLines } from "../domain/invoice-totals.ts";
import { formatMoney } from "../domain/money.ts";
import { assertAllowed, auditActorOf, memberIdOf } from "../domain/permissions.ts";
import { assertCreditByRate, RECTIFICATION_CODES, rectificationOf } from "../domain/rectification.ts";
import { DraftLineInput } from "./create-invoice-draft.ts";
import type { CorrectionRecord } from "./issue-repo.ts";
import { issueLinkedNote } from "./issue-repo.ts";
import {
  findCreditNoteOf,
  findInvoice,
  findLatestAltaRecord,
  type InvoiceLineRow,
  type InvoiceRow,
  listInvoiceLines,
  listIssuedCreditNotesOf,
  notifyInvoiceEvent,
  refundsDueOfClient,
  resettleInvoice,
  sumSettlements,
  updateInvoice,
} from "./repo.ts";

export const CreateCreditNoteInput = z
  .object({
    invoiceId: z.uuid(),
    reason: z.string().trim().min(1).max(500),
    /** Credit every line of the original, or only these (partial credit, positive amounts). */
    full: z.boolean().default(false),
    lines: z.array(DraftLineInput).min(1).max(1000).optional(),
    /** Spanish invoices: the rectificativa type (R4, or R5 on an F2, by default). */
    rectificationCode: z.enum(RECTIFICATION_CODES).optional(),
    /** Spanish invoices: I por diferencias (default) or S por sustitución. */
    rectificationMethod: z.enum(["I", "S"]).optional(),
  })
  .refine((v) => v.full !== Boolean(v.lines), { message: "give either full: true or the lines to credit" });
export type CreateCreditNoteInput = z.input<typeof CreateCreditNoteInput>;

export type CreditNoteResult = {
  creditNote: InvoiceRow;
  lines: InvoiceLineRow[];
  original: InvoiceRow;
  /** Paid beyond the corrected amount: owed back to the client. */
  refundDueMinor: number;
  alreadyDone: boolean;
};

export async function createCreditNote(ctx: Ctx, rawInput: CreateCreditNoteInput): Promise<CreditNoteResult> {
  assertAllowed(ctx.actor, { action: "issueInvoice" });
  const actor = auditActorOf(ctx.actor);
  const input = parseInput(CreateCreditNoteInput, rawInput);
  const { workspaceId } = ctx;
  const result = await ctx.db.transaction(async (tx) => {
    const original = await findInvoice(tx, workspaceId, input.invoiceId, true);
    if (!original || original.kind === "credit_note") {
      throw new DomainError("invoice.not_found", "invoice to credit not found", {
        userMessage:
          "That invoice does not exist in this workspace (a credit note cannot itself be credited).",
        messageKey: "invoicing.error.credit_not_found",
      });
    }
    if (input.full && original.status === "credited") {
      const existing = await findCreditNoteOf(tx, original.id);
      if (existing) {
        return {
          creditNote: existing,
          lines: await listInvoiceLines(tx, workspaceId, existing.id),
          original,
          refundDueMinor: 0,
          alreadyDone: true,
          notices: [] as string[],
        };
      }
    }
    transitionInvoice(original.status, "credit");
    const originalLines = await listInvoiceLines(tx, workspaceId, original.id);
    const lines = input.full
      ? originalLines.map((line) => ({
          description: line.description,
          quantityMilli: line.quantityMilli,
          unitCode: line.unitCode,
          unitPriceMinor: line.unitPriceMinor,
          priceBaseQuantityMilli: line.priceBaseQuantityMilli,
          vatCategory: line.vatCategory,
          vatRateBp: line.vatRateBp,
          exemptionReason: line.exemptionReason,
          periodStart: line.periodStart,
          periodEnd: line.periodEnd,
          milestoneId: line.milestoneId,
          timesheetId: line.timesheetId,
        }))
      : resolveDraftLines(input.lines ?? [], undefined);
    const totals = computeInvoiceTotals(lines, original.withholdingRateBp);
    const collectible = totals.collectibleMinor;
    const money = (amountMinor: number) => formatMoney({ amountMinor, currency: original.currency }, "en");
    const previous = await listIssuedCreditNotesOf(tx, workspaceId, original.id);
    assertCreditByRate({
      originalNumber: original.number ?? "",
      original: original.vatBreakdown,
      alreadyCredited: previous.flatMap((note) => note.vatBreakdown),
      credit: totals.vatBreakdown,
      format: money,
    });
    const before = await sumSettlements(tx, workspaceId, original.id);
    const creditable = original.totalMinor - original.withholdingMinor - before.creditedMinor;
    if (collectible > creditable) {
      throw new DomainError("invoice.credit_exceeds_invoiced", `credit ${collectible} > ${creditable}`, {
        userMessage: `This credit note (${money(collectible)}) is more than what is left to credit on ${original.number} (${money(creditable)}).`,
        messageKey: "invoicing.error.credit_exceeds",
        messageValues: {
          number: original.number ?? "",
          creditMinor: collectible,
          creditableMinor: creditable,
          currency: original.currency,
        },
      });
    }
    const correction = await correctionOf(tx, original, input, previous.length > 0, totals);
    const issued = await issueLinkedNote(tx, ctx, {
      original,
      kind: "credit_note",
      typeCode: "381",
      servicePeriodStart: original.servicePeriodStart,
      servicePeriodEnd: original.servicePeriodEnd,
      correctionReason: input.reason,
      lines,
      lineNetsMinor: totals.lineNetsMinor,
      actor,
      issuedByMemberId: memberIdOf(ctx.actor) ?? undefined,
      correction,
    });
    // The credit is applied to the original at once: nothing is left open on the note itself.
    const creditNote = await updateInvoice(tx, issued.invoice.id, { openMinor: 0 });
    if (!creditNote) throw new Error("credit note vanished");
    const { next, updated: updatedOriginal } = await resettleInvoice(
      tx,
      original,
      settlementAfterCredit,
      ctx.now(),
    );
    // Net of refunds already paid back on earlier credit notes of this invoice.
    const [refundDue] = await refundsDueOfClient(tx, workspaceId, original.clientId, original.id);
    const refundDueMinor = refundDue?.refundDueMinor ?? 0;
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: "invoice.credited",
      entity: "invoice",
      entityId: original.id,
      before: { status: original.status, openMinor: original.openMinor },
      after: {
        status: next.status,
        openMinor: next.openMinor,
        creditNote: creditNote.number,
        reason: input.reason,
        refundDueMinor,
      },
    });
    const notice = await notifyInvoiceEvent(tx, {
      workspaceId,
      invoiceId: original.id,
      event: "credited",
      occurrence: creditNote.id,
      actor,
      detail: {
        creditNoteNumber: creditNote.number,
        amountMinor: collectible,
        openMinor: next.openMinor,
        refundDueMinor,
      },
    });
    return {
      creditNote,
      lines: issued.lines,
      original: updatedOriginal,
      refundDueMinor,
      alreadyDone: false,
      notices: [...issued.deliveryIds, ...(notice ? [notice] : [])],
    };
  });
  const { notices, ...rest } = result;
  if (notices.length > 0) await ctx.enqueue(notices);
  return rest;
}

/**
 * The rectificativa a Spanish invoice's credit note is recorded as (none when the original has no
 * VERI*FACTU record). Por sustitución the record states the invoice as corrected, so it replaces
 * the invoice as issued: not one already corrected by an earlier credit note.
 */
async function correctionOf(
  tx: Db,
  original: InvoiceRow,
  input: z.output<typeof CreateCreditNoteInput>,
  alreadyCorrected: boolean,
  totals: { vatMinor: number; totalMinor: number },
): Promise<CorrectionRecord | undefined> {
  const record = await findLatestAltaRecord(tx, original.workspaceId, original.id);
  if (!record) return undefined;
  const { invoiceType, rectificationType } = rectificationOf(
    record.invoiceType,
    { code: input.rectificationCode, method: input.rectificationMethod },
    original.number ?? "",
  );
  if (rectificationType === "I") return { invoiceType, rectificationType };
  if (alreadyCorrected) {
    throw new DomainError("invoice.credit_substitution", "already corrected", {
      userMessage: `${original.number} already has a credit note: a rectificativa por sustitución replaces the invoice as issued, so correct it by differences instead.`,
      messageKey: "invoicing.error.credit_substitution",
      messageValues: { number: original.number ?? "" },
    });
  }
  return {
    invoiceType,
    rectificationType,
    correctedVatMinor: original.vatMinor - totals.vatMinor,
    correctedTotalMinor: original.totalMinor - totals.totalMinor,
  };
}
