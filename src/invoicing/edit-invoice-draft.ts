// **Edit** from Slack: reads the modal's text fields in the draft's currency, updates the draft
// (updateInvoiceDraft recomputes totals) and refreshes its messages in the billing and project channels.

import type { Ctx } from "../context.ts";
import { DomainError, isDomainError } from "../domain/errors.ts";
import { invoiceNotFound } from "../domain/invoice-state.ts";
import { parseTypedAmount } from "../domain/money.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import type { DraftLineInput } from "./create-invoice-draft.ts";
import { claimInvoiceMessages, findInvoice, listInvoiceLines } from "./repo.ts";
import { updateInvoiceDraft } from "./update-invoice-draft.ts";

export type DraftLineForm = { description: string; quantity: string; unitPrice: string; vatRate: string };

export type EditInvoiceDraftInput = {
  invoiceId: string;
  /** The first lines of the draft as typed; lines after them are kept unchanged. */
  lines: DraftLineForm[];
  servicePeriodStart: string | null;
  servicePeriodEnd: string | null;
  notes: string | null;
};

/**
 * Field errors keyed `lines.<i>.<description|quantity|unitPrice|vatRate>`, `servicePeriodEnd`, `notes`:
 * each a refusal with its catalogue key, so the modal says it in the reader's language.
 */
export type EditInvoiceDraftResult =
  | { ok: true; totalMinor: number; currency: string; lines: number; locale: string }
  | { ok: false; errors: Record<string, DomainError> };

const fieldProblem = (message: string, messageKey: string, messageValues: Record<string, string> = {}) =>
  new DomainError("invoice.draft_field", message, { messageKey, messageValues });

const QUANTITY = /^(-?)(\d{1,9})(?:[.,](\d{1,3}))?$/;
const RATE = /^(\d{1,3})(?:[.,](\d{1,2}))?$/;

function parseQuantity(text: string): number | null {
  const m = QUANTITY.exec(text.trim());
  if (!m) return null;
  const value = Number(m[2]) * 1000 + Number((m[3] ?? "").padEnd(3, "0"));
  return m[1] === "-" ? -value : value;
}

function parseRate(text: string): number | null {
  const m = RATE.exec(text.trim().replace(/%$/, "").trim());
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return bp <= 10_000 ? bp : null;
}

export async function editInvoiceDraft(
  ctx: Ctx,
  input: EditInvoiceDraftInput,
): Promise<EditInvoiceDraftResult> {
  assertAllowed(ctx.actor, { action: "editInvoice" });
  const { workspaceId } = ctx;
  const draft = await findInvoice(ctx.db, workspaceId, input.invoiceId);
  if (!draft) {
    throw invoiceNotFound();
  }
  if (draft.status !== "draft" && draft.status !== "held") {
    throw new DomainError("invoice.not_draft", `invoice ${draft.id} is ${draft.status}`, {
      userMessage: `Invoice ${draft.number ?? ""} was issued in the meantime and cannot be edited any more: correct it with a credit note. Nothing was changed.`,
      messageKey: "invoicing.error.not_draft",
      messageValues: { number: draft.number ?? "" },
    });
  }
  const currency = draft.currency.trim();
  const current = await listInvoiceLines(ctx.db, workspaceId, draft.id);
  const errors: Record<string, DomainError> = {};
  const edited: DraftLineInput[] = input.lines.map((form, index) => {
    const row = current[index];
    const at = (key: keyof DraftLineForm) => `lines.${index}.${key}`;
    const description = form.description.trim();
    if (!description)
      errors[at("description")] = fieldProblem("Write a description.", "invoicing.edit.error.description");
    const quantityMilli = parseQuantity(form.quantity);
    if (quantityMilli === null)
      errors[at("quantity")] = fieldProblem(
        `"${form.quantity}" is not a quantity: write it like 1 or 2.5.`,
        "invoicing.edit.error.quantity",
        { text: form.quantity },
      );
    let unitPriceMinor = 0;
    try {
      unitPriceMinor = parseTypedAmount(form.unitPrice, currency);
    } catch (error) {
      errors[at("unitPrice")] = isDomainError(error)
        ? error
        : fieldProblem("Not an amount.", "invoicing.edit.error.amount");
    }
    const vatRateBp = parseRate(form.vatRate);
    if (vatRateBp === null)
      errors[at("vatRate")] = fieldProblem(
        `"${form.vatRate}" is not a VAT rate: write a percentage like 21 or 5.5.`,
        "invoicing.edit.error.vat_rate",
        { text: form.vatRate },
      );
    const sameRate = row !== undefined && row.vatRateBp === vatRateBp;
    return {
      description,
      quantityMilli: quantityMilli ?? 0,
      unitCode: row?.unitCode ?? "C62",
      unitPriceMinor,
      priceBaseQuantityMilli: row?.priceBaseQuantityMilli ?? 1000,
      vatRateBp: vatRateBp ?? 0,
      // A changed rate takes the standard category unless it is zero on an exempt line.
      vatCategory: (sameRate || vatRateBp === 0) && row ? row.vatCategory : "S",
      ...((sameRate || vatRateBp === 0) && row?.exemptionReason
        ? { exemptionReason: row.exemptionReason }
        : {}),
      ...(row?.periodStart ? { periodStart: String(row.periodStart) } : {}),
      ...(row?.periodEnd ? { periodEnd: String(row.periodEnd) } : {}),
      ...(row?.milestoneId ? { milestoneId: row.milestoneId } : {}),
      ...(row?.timesheetId ? { timesheetId: row.timesheetId } : {}),
    };
  });
  if (
    input.servicePeriodStart &&
    input.servicePeriodEnd &&
    input.servicePeriodEnd < input.servicePeriodStart
  ) {
    errors.servicePeriodEnd = fieldProblem(
      "The period cannot end before it starts.",
      "invoicing.edit.error.period_end",
    );
  }
  if ((input.notes ?? "").length > 2000)
    errors.notes = fieldProblem("Notes are limited to 2,000 characters.", "invoicing.edit.error.notes");
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const kept: DraftLineInput[] = current.slice(input.lines.length).map((row) => ({
    description: row.description,
    quantityMilli: row.quantityMilli,
    unitCode: row.unitCode,
    unitPriceMinor: row.unitPriceMinor,
    priceBaseQuantityMilli: row.priceBaseQuantityMilli,
    vatCategory: row.vatCategory,
    vatRateBp: row.vatRateBp,
    ...(row.exemptionReason ? { exemptionReason: row.exemptionReason } : {}),
    ...(row.periodStart ? { periodStart: String(row.periodStart) } : {}),
    ...(row.periodEnd ? { periodEnd: String(row.periodEnd) } : {}),
    ...(row.milestoneId ? { milestoneId: row.milestoneId } : {}),
    ...(row.timesheetId ? { timesheetId: row.timesheetId } : {}),
  }));
  let result: Awaited<ReturnType<typeof updateInvoiceDraft>>;
  try {
    result = await updateInvoiceDraft(ctx, {
      invoiceId: draft.id,
      lines: [...edited, ...kept],
      servicePeriodStart: input.servicePeriodStart,
      servicePeriodEnd: input.servicePeriodEnd,
      notes: input.notes?.trim() ? input.notes.trim() : null,
    });
  } catch (error) {
    // VAT rules and input checks name the line's field (`lines.<i>.vatRateBp`…): show it there.
    const field = isDomainError(error) ? error.field : undefined;
    const match = field ? /^lines\.(\d+)\.(\w+)/.exec(field) : null;
    if (!isDomainError(error) || !match) throw error;
    const key = { description: "description", quantityMilli: "quantity", unitPriceMinor: "unitPrice" }[
      match[2] ?? ""
    ];
    return { ok: false, errors: { [`lines.${match[1]}.${key ?? "vatRate"}`]: error } };
  }
  // The occurrence makes this edit's refresh its own claim (the first post is claimed without one).
  const { deliveryIds } = await claimInvoiceMessages(ctx.db, {
    workspaceId,
    invoiceId: draft.id,
    occurrence: `edit:${result.invoice.updatedAt.getTime()}`,
  });
  if (deliveryIds.length > 0) await ctx.enqueue(deliveryIds);
  const locale = (await findWorkspaceById(ctx.db, workspaceId))?.locale ?? "en";
  return { ok: true, totalMinor: result.invoice.totalMinor, currency, lines: result.lines.length, locale };
}
