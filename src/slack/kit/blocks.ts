// Block Kit building blocks with Slack's limits enforced, so no view can be refused for its size.
import type { types } from "@slack/bolt";
import { type Locale, t } from "../../i18n/index.ts";

export type Block = types.KnownBlock;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;
export type PlainOption = types.PlainTextOption;

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionField: 2000,
  sectionFields: 10,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionsElements: 25,
  optionText: 75,
  selectOptions: 100,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  contextElements: 10,
  messageText: 3000,
  inputLabel: 2000,
  placeholder: 150,
} as const;

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Cuts to at most `max` UTF-16 code units (so also at most `max` code points: Slack's counters
 * differ between surfaces), ending with an ellipsis when cut. Cuts only between grapheme clusters,
 * so an emoji (surrogate pair, ZWJ sequence, flag) is kept whole or dropped whole.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - 1; // "…" is one code unit and one code point
  if (room < 0) return "";
  // The cluster holding the first code unit that does not fit starts where the text is cut
  // (found by ICU's break iterator, not by walking thousands of clusters).
  const cut = graphemes.segment(text).containing(room)?.index ?? room;
  return `${text.slice(0, cut)}…`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const MARKUP = Symbol("markup Cobro wrote itself");
export type Markup = { readonly [MARKUP]: string };

/** Text Cobro writes itself (a mention of a Slack user id it knows, a link it built): kept as is. */
export const markup = (text: string): Markup => ({ [MARKUP]: text });

/** The text of a `markup()` value, or null for any other value. */
export const markupText = (value: unknown): string | null =>
  value !== null && typeof value === "object" && MARKUP in value ? (value as Markup)[MARKUP] : null;

/**
 * The one way to put values into a message's `text` or a mrkdwn string: every value is escaped
 * (a name "<!channel>" is shown, never notifies), unless wrapped in `markup()`.
 */
export function slackText(strings: TemplateStringsArray, ...values: unknown[]): string {
  let text = strings[0] ?? "";
  values.forEach((value, i) => {
    const piece =
      value !== null && typeof value === "object" && MARKUP in value
        ? (value as Markup)[MARKUP]
        : escapeMrkdwn(String(value ?? ""));
    text += piece + (strings[i + 1] ?? "");
  });
  return text;
}

export const plain = (text: string, max: number = LIMITS.sectionText) => ({
  type: "plain_text" as const,
  text: truncate(text || " ", max),
  emoji: true,
});

export const mrkdwn = (text: string, max: number = LIMITS.sectionText) => ({
  type: "mrkdwn" as const,
  text: truncate(text || " ", max),
});

export function header(text: string): Block {
  return { type: "header", text: plain(text, LIMITS.headerText) };
}

export function section(text: string, accessory?: types.SectionBlock["accessory"]): Block {
  return { type: "section", text: mrkdwn(text), ...(accessory ? { accessory } : {}) };
}

export function fields(items: string[]): Block {
  return {
    type: "section",
    fields: items.slice(0, LIMITS.sectionFields).map((item) => mrkdwn(item, LIMITS.sectionField)),
  };
}

export function context(text: string): Block {
  return { type: "context", elements: [mrkdwn(text)] };
}

export const divider = (): Block => ({ type: "divider" });

export function button(
  text: string,
  actionId: string,
  value: string,
  style?: "primary" | "danger",
): types.Button {
  return {
    type: "button",
    text: plain(text, LIMITS.buttonText),
    action_id: actionId,
    value: truncate(value, LIMITS.buttonValue),
    ...(style ? { style } : {}),
  };
}

export function actions(elements: types.ActionsBlockElement[], blockId?: string): Block {
  return {
    type: "actions",
    ...(blockId ? { block_id: blockId } : {}),
    elements: elements.slice(0, LIMITS.actionsElements),
  };
}

export function option(text: string, value: string, description?: string): PlainOption {
  return {
    text: plain(text, LIMITS.optionText),
    value: truncate(value, 150),
    ...(description ? { description: plain(description, LIMITS.optionText) } : {}),
  };
}

/**
 * Keeps at most `max` blocks: when there are more, the last kept block says how many were left
 * out and where to see them, instead of Slack refusing the whole view.
 */
export function capBlocks(blocks: Block[], max: number, moreText: (hidden: number) => string): Block[] {
  if (blocks.length <= max) return blocks;
  const kept = blocks.slice(0, max - 1);
  return [...kept, context(moreText(blocks.length - kept.length))];
}

export function modal(input: {
  callbackId: string;
  /** The reader's language: the default close button and the "more not shown" note speak it. */
  locale: Locale;
  title: string;
  blocks: Block[];
  submit?: string;
  close?: string;
  privateMetadata?: string;
}): ModalView {
  return {
    type: "modal",
    callback_id: input.callbackId,
    title: plain(input.title, LIMITS.modalTitle),
    ...(input.submit ? { submit: plain(input.submit, LIMITS.modalButton) } : {}),
    close: plain(input.close ?? t(input.locale, "slack.modal.cancel"), LIMITS.modalButton),
    ...(input.privateMetadata
      ? { private_metadata: input.privateMetadata.slice(0, LIMITS.privateMetadata) }
      : {}),
    blocks: capBlocks(input.blocks, LIMITS.viewBlocks, (count) =>
      t(input.locale, "slack.modal.more_blocks", { count }),
    ),
  };
}

// --- tables ----------------------------------------------------------------------------------------
// Slack's table block (messages only; App Home and modals take text instead): at most 100 rows of at
// most 20 cells, one table a message. Cells here are raw_text: amounts already formatted in the
// reader's locale, right-aligned by the column settings.
export const TABLE_LIMITS = { rows: 100, cells: 20 } as const;

export type TableCell = { type: "raw_text"; text: string };
export type Align = "left" | "right";

/** A text cell: never empty (Slack refuses ""), long text cut. */
export const textCell = (text: string): TableCell => ({ type: "raw_text", text: truncate(text || " ", 200) });

/** What a row adds to the message's JSON (for size budgets). */
export const rowCost = (row: TableCell[]): number => JSON.stringify(row).length + 1;

/** A table block: the head and the rows cut to Slack's limits, every row as wide as the head. */
export function tableBlock(head: TableCell[], rows: TableCell[][], align: readonly Align[]): Block {
  const width = Math.min(head.length, TABLE_LIMITS.cells);
  const padded = (row: TableCell[]) =>
    Array.from({ length: width }, (_, i) => row[i] ?? textCell(" ")).slice(0, width);
  return {
    type: "table",
    column_settings: align.slice(0, width).map((a) => ({ align: a })),
    rows: [padded(head), ...rows.slice(0, TABLE_LIMITS.rows - 1).map(padded)],
  } as Block;
}
