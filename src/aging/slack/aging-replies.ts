// What the report's buttons and menus answer beside the report, in the reader's language. Pure: text, and blocks where a table helps.
import type { DebtorInvoiceChoice } from "../../collections/index.ts";
import type { AgingReport } from "../../domain/aging.ts";
import { formatMoney } from "../../domain/money.ts";
import { calendarDate, type Locale, t } from "../../i18n/index.ts";
import {
  type Block,
  context,
  LIMITS,
  section,
  tableBlock,
  textCell,
  truncate,
} from "../../slack/kit/blocks.ts";
import type { AgingState } from "../../slack/kit/ids.ts";
import { md } from "../../slack/kit/support.ts";
import { headNames, invoiceChooser } from "./aging-report.ts";

export const staleReply = (locale: Locale) => t(locale, "aging.stale");

export const shareReply = (status: "shared" | "alreadyShared" | "notInChannel", locale: Locale) =>
  t(locale, `aging.share.${status}`);

/** What Export CSV and 12-month trend answer: sent now, or already sent from this report. */
export const dmReply = (what: "export" | "trend", alreadySent: boolean, locale: Locale) =>
  t(locale, `aging.${what}.${alreadySent ? "already_sent" : "sent"}`);

export function statementReply(
  sent: { alreadyDone: boolean; clientName: string; to: string[] },
  locale: Locale,
): string {
  const values = { client: sent.clientName, to: sent.to.join(", ") };
  return md(locale, sent.alreadyDone ? "aging.statement.already_sent" : "aging.statement.sent", values);
}

const SHOWN_INVOICES = 10;

type Pick = Extract<DebtorInvoiceChoice, { kind: "pick" }>;

/** The pick's words: whose invoices, how many, why one must be chosen; then each as a line. */
function pickText(verb: "pay" | "remind", open: Pick & { clientName: string }, locale: Locale): string {
  const shown = open.invoices.slice(0, SHOWN_INVOICES).map((i) =>
    md(locale, i.dueDate ? "aging.pick.line" : "aging.pick.line_no_due_date", {
      number: i.number ?? t(locale, "aging.pick.draft"),
      amount: { amountMinor: i.openMinor, currency: i.currency },
      due: calendarDate(i.dueDate ?? "1970-01-01"),
    }),
  );
  const intro = md(locale, "aging.pick.several", {
    client: open.clientName,
    count: open.invoices.length,
    many: String(open.invoices.length > SHOWN_INVOICES),
    verb,
  });
  return [intro, ...shown].join("\n");
}

/**
 * A payment or a reminder is for one invoice: when a debtor has several, its open invoices as a
 * table (the first ten due) and one select to choose the invoice, answered as the drill-down's is.
 */
export function pickInvoiceMessage(
  verb: "pay" | "remind",
  open: Pick,
  state: AgingState,
  locale: Locale,
): { text: string; blocks?: Block[] } {
  const clientName = open.clientName;
  if (!clientName) return { text: t(locale, "aging.pick.gone") };
  if (open.invoices.length === 0)
    return { text: md(locale, "aging.pick.nothing_open", { client: clientName }) };
  const text = truncate(pickText(verb, { ...open, clientName }, locale), LIMITS.messageText);
  const shown = open.invoices.slice(0, SHOWN_INVOICES);
  const head = (["invoice", "due", "open"] as const).map((c) => textCell(t(locale, `aging.table.${c}`)));
  const rows = shown.map((i) => [
    textCell(i.number ?? t(locale, "aging.pick.draft")),
    textCell(i.dueDate ? t(locale, "aging.table.date", { date: calendarDate(i.dueDate) }) : "—"),
    textCell(formatMoney({ amountMinor: i.openMinor, currency: i.currency }, locale)),
  ]);
  const intro = text.split("\n")[0] ?? "";
  const blocks: Block[] = [section(intro), tableBlock(head, rows, ["left", "left", "right"])];
  if (open.invoices.length > SHOWN_INVOICES) blocks.push(context(t(locale, "aging.pick.more")));
  blocks.push(
    invoiceChooser(
      shown.map((i) => ({ ...i, clientName })),
      state,
      locale,
      [verb],
    ),
  );
  return { text, blocks };
}

/** The exported CSV's column names, title and comment in the reader's language. */
export function agingCsvTexts(report: AgingReport, locale: Locale) {
  const asOf = calendarDate(report.asOf);
  const column = (name: "client_id" | "client" | "currency" | "oldest" | "invoices") =>
    t(locale, `aging.csv.${name}`);
  return {
    header: [
      column("client_id"),
      column("client"),
      column("currency"),
      ...headNames(report, locale),
      column("oldest"),
      column("invoices"),
    ],
    title: t(locale, "aging.export.title", { asOf }),
    comment: t(locale, "aging.export.comment", { asOf, count: report.clients.length }),
  };
}
