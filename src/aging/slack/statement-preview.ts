// The preview of a client's statement of account before it is e-mailed, in the reader's language: its
// open items as a table (the total open and each bucket's under them), where it goes, and a Send button
// that is the confirmation. Pure: the statement in, blocks out, within Block Kit's limits.
import type { ClientStatementPreview } from "../../collections/index.ts";
import { formatMoney } from "../../domain/money.ts";
import { calendarDate, type Locale, t } from "../../i18n/index.ts";
import {
  type Align,
  actions,
  type Block,
  button,
  context,
  header,
  LIMITS,
  rowCost,
  section,
  TABLE_LIMITS,
  type TableCell,
  tableBlock,
  textCell,
  truncate,
} from "../../slack/kit/blocks.ts";
import { AGING_ACTIONS, type AgingState, encodeAgingState } from "../../slack/kit/ids.ts";
import { md } from "../../slack/kit/support.ts";
import { clip, MESSAGE_CHAR_BUDGET, type SlackMessage } from "./aging-report.ts";

/** Invoice, date, due, amount, paid, open, days late: the PDF's columns and what was paid. */
const ALIGN: readonly Align[] = ["left", "left", "left", "right", "right", "right", "right"];
const OPEN = 5;

const money = (amountMinor: number, currency: string, locale: Locale) =>
  formatMoney({ amountMinor, currency }, locale);
const date = (iso: string, locale: Locale) => t(locale, "aging.table.date", { date: calendarDate(iso) });

function head(locale: Locale): TableCell[] {
  const column = (name: "invoice" | "date" | "due" | "amount" | "paid" | "open" | "late") =>
    textCell(t(locale, `aging.statement.column.${name}`));
  return [
    column("invoice"),
    column("date"),
    column("due"),
    column("amount"),
    column("paid"),
    column("open"),
    column("late"),
  ];
}

type Line = ClientStatementPreview["currencies"][number]["lines"][number];

function lineRow(line: Line, locale: Locale): TableCell[] {
  return [
    textCell(clip(line.number, 60)),
    textCell(date(line.issueDate, locale)),
    textCell(date(line.dueDate, locale)),
    textCell(money(line.totalMinor, line.currency, locale)),
    textCell(money(line.totalMinor - line.openMinor, line.currency, locale)),
    textCell(money(line.openMinor, line.currency, locale)),
    textCell(line.daysPastDue > 0 ? t(locale, "aging.table.count", { count: line.daysPastDue }) : "—"),
  ];
}

/** A label in the first column and an amount under Open. */
function totalRow(label: string, amount: string): TableCell[] {
  return ALIGN.map((_, i) => textCell(i === 0 ? label : i === OPEN ? amount : " "));
}

type Group = ClientStatementPreview["currencies"][number];

/** A currency's non-empty buckets (when asked), then its total open (never added across currencies). */
function totalRows(group: Group, labels: string[], withBuckets: boolean, locale: Locale): TableCell[][] {
  const buckets = labels.flatMap((bucket, i) => {
    const amount = group.buckets[i] ?? 0;
    if (!withBuckets || amount === 0) return [];
    const label = t(locale, "aging.statement.bucket", { bucket, currency: group.currency });
    return [totalRow(label, money(amount, group.currency, locale))];
  });
  const total = t(locale, "aging.statement.total", { currency: group.currency });
  return [...buckets, totalRow(total, money(group.totalMinor, group.currency, locale))];
}

const size = (blocks: Block[]) => JSON.stringify(blocks).length + 1;
const cost = (rows: TableCell[][]) => rows.reduce((n, row) => n + rowCost(row), 0);

/**
 * The totals under the invoices, within half of `maxChars`: each currency's buckets and total, or only
 * its total when many currencies leave no room, or the largest currencies' totals (the rest counted).
 */
function totalsOf(preview: ClientStatementPreview, locale: Locale, maxChars: number) {
  const rows = (withBuckets: boolean) =>
    preview.currencies.map((group) => totalRows(group, preview.labels, withBuckets, locale));
  const full = rows(true);
  const groups = cost(full.flat()) <= maxChars / 2 ? full : rows(false);
  let budget = maxChars / 2;
  const kept = groups.filter((group, i) => {
    budget -= cost(group);
    return i === 0 || budget >= 0;
  });
  return { rows: kept.flat(), currenciesLeft: groups.length - kept.length };
}

/** The open items as one table: as many invoice rows as fit, then the totals; and what is left out. */
function statementTable(preview: ClientStatementPreview, locale: Locale, maxChars: number) {
  const totals = totalsOf(preview, locale, maxChars);
  const lines = preview.currencies.flatMap((group) => group.lines);
  let budget = maxChars - size([tableBlock(head(locale), totals.rows, ALIGN)]);
  const room = TABLE_LIMITS.rows - 1 - totals.rows.length;
  const rows: TableCell[][] = [];
  for (const line of lines) {
    const row = lineRow(line, locale);
    budget -= rowCost(row);
    if (budget < 0 || rows.length >= room) break;
    rows.push(row);
  }
  return {
    block: tableBlock(head(locale), [...rows, ...totals.rows], ALIGN),
    linesLeft: lines.length - rows.length,
    currenciesLeft: totals.currenciesLeft,
  };
}

function refundNotes(preview: ClientStatementPreview, locale: Locale): string[] {
  return preview.refundsDue.map((refund) =>
    md(locale, "aging.statement.refund", {
      amount: { amountMinor: refund.amountMinor, currency: refund.currency },
      invoices: refund.invoices.slice(0, 10).join(", "),
    }),
  );
}

function fallbackText(preview: ClientStatementPreview, locale: Locale): string {
  const count = preview.currencies.reduce((n, group) => n + group.lines.length, 0);
  const totals = preview.currencies.map((group) => money(group.totalMinor, group.currency, locale));
  return truncate(
    md(locale, "aging.statement.text", {
      client: preview.client.name,
      asOf: calendarDate(preview.asOf),
      count,
      totals: totals.join(" + ") || money(0, "EUR", locale),
    }),
    LIMITS.messageText,
  );
}

/**
 * The preview, then Send to <the client's e-mail> (the confirmation: nothing goes before it) and
 * Cancel; without a billing e-mail, why it cannot go instead; once today's went, where it went.
 */
export function buildStatementPreview(
  preview: ClientStatementPreview,
  state: AgingState,
  locale: Locale,
): SlackMessage {
  const to = preview.to.join(", ");
  const blocks: Block[] = [
    header(t(locale, "aging.statement.header", { client: preview.client.name })),
    context(
      md(locale, "aging.statement.about", {
        asOf: calendarDate(preview.asOf),
        language: preview.client.language,
      }),
    ),
  ];
  const own = encodeAgingState({ a: state.a, b: state.b, ...(state.c ? { c: state.c } : {}) });
  const tail: Block[] = preview.sentTodayTo
    ? [context(md(locale, "aging.statement.sent_today", { to: preview.sentTodayTo.join(", ") }))]
    : preview.to.length === 0
      ? [section(md(locale, "aging.statement.no_email", { client: preview.client.name }))]
      : [
          context(truncate(md(locale, "aging.statement.to", { to }), LIMITS.sectionText)),
          actions([
            button(
              clip(t(locale, "aging.statement.send", { to }), LIMITS.buttonText),
              AGING_ACTIONS.statementSend,
              own,
              "primary",
            ),
            button(t(locale, "aging.statement.cancel"), AGING_ACTIONS.statementCancel, own),
          ]),
        ];
  const notes = refundNotes(preview, locale);
  if (preview.currencies.length === 0) blocks.push(section(t(locale, "aging.statement.nothing_open")));
  else {
    const table = statementTable(preview, locale, MESSAGE_CHAR_BUDGET - size(blocks) - size(tail) - 1_200);
    blocks.push(table.block);
    if (table.currenciesLeft > 0) {
      notes.unshift(t(locale, "aging.statement.currencies_left", { count: table.currenciesLeft }));
    }
    if (table.linesLeft > 0)
      notes.unshift(t(locale, "aging.statement.rows_left", { count: table.linesLeft }));
  }
  if (notes.length > 0) blocks.push(context(truncate(notes.join("\n"), LIMITS.sectionText)));
  return { text: fallbackText(preview, locale), blocks: [...blocks, ...tail] };
}
