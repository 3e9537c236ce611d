// The Edit draft modal: the first lines of a draft (description, quantity, unit price, VAT %),
// its service period and notes, in the reader's language; and the form read back from it. Pure:
// the draft in, a modal of at most 100 blocks out.
import { z } from "zod";
import type { DomainError } from "../../domain/errors.ts";
import { toTypedAmount } from "../../domain/money.ts";
import { type Locale, t } from "../../i18n/index.ts";
import {
  type Block,
  context,
  LIMITS,
  type ModalView,
  modal,
  plain,
  section,
} from "../../slack/kit/blocks.ts";
import {
  CALLBACKS,
  type DraftLineKey,
  draftLineField,
  encodeModalMetadata,
  FIELDS,
} from "../../slack/kit/ids.ts";
import { fieldValue, md, translatedUserMessage } from "../../slack/kit/support.ts";
import type { DraftLineForm, EditInvoiceDraftInput } from "../edit-invoice-draft.ts";

/** 5 blocks a line: 15 lines keep the modal well under Slack's 100 blocks. */
export const EDIT_DRAFT_MAX_LINES = 15;

export type EditDraftModel = {
  invoiceId: string;
  clientName: string;
  currency: string;
  totalMinor: number;
  locale: string;
  lines: {
    description: string;
    quantityMilli: number;
    unitCode: string;
    unitPriceMinor: number;
    priceBaseQuantityMilli: number;
    vatRateBp: number;
  }[];
  servicePeriodStart: string | null;
  servicePeriodEnd: string | null;
  notes: string | null;
};

/** 1500 → "1.5": thousandths as a short decimal. */
export function formatQuantity(quantityMilli: number): string {
  const sign = quantityMilli < 0 ? "-" : "";
  const abs = Math.abs(quantityMilli);
  const fraction = String(abs % 1000)
    .padStart(3, "0")
    .replace(/0+$/, "");
  return `${sign}${Math.trunc(abs / 1000)}${fraction ? `.${fraction}` : ""}`;
}

/** Labels that say what the numbers count: "Quantity (minutes)", "Unit price (EUR per 60 minutes)". */
function lineLabels(
  line: EditDraftModel["lines"][number],
  currency: string,
  locale: Locale,
): Record<DraftLineKey, string> {
  const known = ["HUR", "MIN", "DAY"].includes(line.unitCode);
  const unit = t(locale, "invoicing.edit.unit", { unit: line.unitCode });
  const base = formatQuantity(line.priceBaseQuantityMilli);
  return {
    description: t(locale, "invoicing.edit.description"),
    quantity: known
      ? t(locale, "invoicing.edit.quantity_in", { unit })
      : t(locale, "invoicing.edit.quantity"),
    unitPrice:
      line.priceBaseQuantityMilli === 1000
        ? t(locale, "invoicing.edit.unit_price", { currency })
        : t(locale, "invoicing.edit.unit_price_per", { currency, base, unit }),
    vatRate: t(locale, "invoicing.edit.vat_rate"),
  };
}

/** 2100 → "21", 550 → "5.5". */
export function formatRate(rateBp: number): string {
  const fraction = String(rateBp % 100)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return `${Math.trunc(rateBp / 100)}${fraction ? `.${fraction}` : ""}`;
}

function textInput(
  field: { block: string; action: string },
  label: string,
  initial: string,
  options: { optional?: boolean; multiline?: boolean; max?: number } = {},
): Block {
  return {
    type: "input",
    block_id: field.block,
    optional: options.optional ?? false,
    label: plain(label, LIMITS.inputLabel),
    element: {
      type: "plain_text_input",
      action_id: field.action,
      multiline: options.multiline ?? false,
      ...(initial ? { initial_value: initial.slice(0, options.max ?? 3000) } : {}),
      ...(options.max ? { max_length: options.max } : {}),
    },
  };
}

function dateInput(field: { block: string; action: string }, label: string, initial: string | null): Block {
  return {
    type: "input",
    block_id: field.block,
    optional: true,
    label: plain(label, LIMITS.inputLabel),
    element: { type: "datepicker", action_id: field.action, ...(initial ? { initial_date: initial } : {}) },
  };
}

export function buildEditDraftModal(model: EditDraftModel, locale: Locale): ModalView {
  const shown = model.lines.slice(0, EDIT_DRAFT_MAX_LINES);
  const total = { amountMinor: model.totalMinor, currency: model.currency };
  const intro = { client: model.clientName, total, currency: model.currency };
  const blocks: Block[] = [section(md(locale, "invoicing.edit.intro", intro))];
  if (model.lines.length > shown.length) {
    const rest = model.lines.length - shown.length;
    const counts = { count: model.lines.length, shown: shown.length, rest };
    blocks.push(context(t(locale, "invoicing.edit.more_lines", counts)));
  }
  shown.forEach((line, index) => {
    const label = lineLabels(line, model.currency, locale);
    blocks.push(
      context(t(locale, "invoicing.edit.line", { number: index + 1 })),
      textInput(draftLineField(index, "description"), label.description, line.description, { max: 1000 }),
      textInput(draftLineField(index, "quantity"), label.quantity, formatQuantity(line.quantityMilli)),
      textInput(
        draftLineField(index, "unitPrice"),
        label.unitPrice,
        toTypedAmount(line.unitPriceMinor, model.currency, locale),
      ),
      textInput(draftLineField(index, "vatRate"), label.vatRate, formatRate(line.vatRateBp)),
    );
  });
  blocks.push(
    dateInput(FIELDS.draftPeriodStart, t(locale, "invoicing.edit.period_from"), model.servicePeriodStart),
    dateInput(FIELDS.draftPeriodEnd, t(locale, "invoicing.edit.period_to"), model.servicePeriodEnd),
    textInput(FIELDS.draftNotes, t(locale, "invoicing.edit.notes"), model.notes ?? "", {
      optional: true,
      multiline: true,
      max: 2000,
    }),
  );
  return modal({
    locale,
    callbackId: CALLBACKS.editDraft,
    title: t(locale, "invoicing.edit.title"),
    submit: t(locale, "invoicing.edit.save"),
    close: t(locale, "invoicing.edit.cancel"),
    privateMetadata: encodeModalMetadata({ invoiceId: model.invoiceId, lines: shown.length }),
    blocks,
  });
}

type ViewValues = Parameters<typeof fieldValue>[0];

/** What the modal's `lines` first lines, period and notes say, as the edit verb takes them. */
export function readEditDraftForm(
  values: ViewValues,
  lines: number,
): Pick<EditInvoiceDraftInput, "lines" | "servicePeriodStart" | "servicePeriodEnd" | "notes"> {
  const line = (i: number): DraftLineForm => ({
    description: fieldValue(values, draftLineField(i, "description")),
    quantity: fieldValue(values, draftLineField(i, "quantity")),
    unitPrice: fieldValue(values, draftLineField(i, "unitPrice")),
    vatRate: fieldValue(values, draftLineField(i, "vatRate")),
  });
  return {
    lines: Array.from({ length: lines }, (_, i) => line(i)),
    servicePeriodStart: fieldValue(values, FIELDS.draftPeriodStart) || null,
    servicePeriodEnd: fieldValue(values, FIELDS.draftPeriodEnd) || null,
    notes: fieldValue(values, FIELDS.draftNotes),
  };
}

const LineErrorKey = z.tuple([
  z.literal("lines"),
  z.coerce.number().int().min(0),
  z.enum(["description", "quantity", "unitPrice", "vatRate"]),
]);

/** The verb's field errors (`lines.2.quantity`, `servicePeriodEnd`) next to the modal's inputs. */
export function draftErrorsToBlocks(
  errors: Record<string, DomainError>,
  shownLines: number,
  locale: Locale,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, error] of Object.entries(errors)) {
    const message = translatedUserMessage(error, locale) ?? error.userMessage;
    const line = LineErrorKey.safeParse(key.split("."));
    let block: string = FIELDS.draftNotes.block;
    let text = message;
    if (line.success && line.data[1] < shownLines) block = draftLineField(line.data[1], line.data[2]).block;
    else if (line.success)
      text = t(locale, "invoicing.edit.line_error", { number: line.data[1] + 1, message });
    else if (key === "servicePeriodStart") block = FIELDS.draftPeriodStart.block;
    else if (key === "servicePeriodEnd") block = FIELDS.draftPeriodEnd.block;
    out[block] ??= text;
  }
  return out;
}
