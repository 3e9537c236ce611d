// Slack's table block (messages only; App Home and modals take text instead): at most 100 rows of at
// most 20 cells, one table a message. Cells here are raw_text: amounts already formatted in the
// reader's locale, right-aligned by the column settings.
import type { Block } from "./blocks.ts";
import { truncate } from "./blocks.ts";

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
