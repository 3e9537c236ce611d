// The Edit draft modal: the first lines of a draft (description, quantity, unit price, VAT %),
// its service period and notes. Pure: the draft in, a modal of at most 100 blocks out.
import { formatMoney, toDecimalString } from "../../domain/money.ts";
import {
  type Block,
  context,
  escapeMrkdwn,
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

const UNIT_NAMES: Record<string, string> = { HUR: "hours", MIN: "minutes", DAY: "days" };

/** Labels that say what the numbers count: "Quantity (minutes)", "Unit price (EUR per 60 minutes)". */
function lineLabels(line: EditDraftModel["lines"][number], currency: string): Record<DraftLineKey, string> {
  const unit = UNIT_NAMES[line.unitCode];
  const per =
    line.priceBaseQuantityMilli === 1000
      ? ""
      : ` per ${formatQuantity(line.priceBaseQuantityMilli)} ${unit ?? line.unitCode}`;
  return {
    description: "Description",
    quantity: unit ? `Quantity (${unit})` : "Quantity",
    unitPrice: `Unit price (${currency}${per})`,
    vatRate: "VAT rate %",
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

export function buildEditDraftModal(model: EditDraftModel): ModalView {
  const shown = model.lines.slice(0, EDIT_DRAFT_MAX_LINES);
  const total = formatMoney({ amountMinor: model.totalMinor, currency: model.currency }, model.locale);
  const blocks: Block[] = [
    section(
      `Draft for *${escapeMrkdwn(model.clientName)}* · ${total} · amounts in ${model.currency}. Totals and VAT are recomputed when you save.`,
    ),
  ];
  if (model.lines.length > shown.length) {
    blocks.push(
      context(
        `This draft has ${model.lines.length} lines: the first ${shown.length} are editable here; the other ${model.lines.length - shown.length} are kept as they are.`,
      ),
    );
  }
  shown.forEach((line, index) => {
    const label = lineLabels(line, model.currency);
    blocks.push(
      context(`*Line ${index + 1}*`),
      textInput(draftLineField(index, "description"), label.description, line.description, { max: 1000 }),
      textInput(draftLineField(index, "quantity"), label.quantity, formatQuantity(line.quantityMilli)),
      textInput(
        draftLineField(index, "unitPrice"),
        label.unitPrice,
        toDecimalString(line.unitPriceMinor, model.currency),
      ),
      textInput(draftLineField(index, "vatRate"), label.vatRate, formatRate(line.vatRateBp)),
    );
  });
  blocks.push(
    dateInput(FIELDS.draftPeriodStart, "Service period from", model.servicePeriodStart),
    dateInput(FIELDS.draftPeriodEnd, "Service period to", model.servicePeriodEnd),
    textInput(FIELDS.draftNotes, "Notes on the invoice", model.notes ?? "", {
      optional: true,
      multiline: true,
      max: 2000,
    }),
  );
  return modal({
    callbackId: CALLBACKS.editDraft,
    title: "Edit draft",
    submit: "Save",
    privateMetadata: encodeModalMetadata({ invoiceId: model.invoiceId, lines: shown.length }),
    blocks,
  });
}
