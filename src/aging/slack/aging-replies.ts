// What the report's buttons and menus answer beside the report, in the reader's language. Pure text.
import type { DebtorInvoiceChoice } from "../../collections/index.ts";
import type { AgingReport } from "../../domain/aging.ts";
import { calendarDate, type Locale, t } from "../../i18n/index.ts";
import { md } from "../../slack/kit/say.ts";
import { headNames } from "./aging-report.ts";

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

/** A payment or a reminder is for one invoice: when a debtor has several, say which to pick. */
export function pickInvoiceText(
  verb: "pay" | "remind",
  open: Extract<DebtorInvoiceChoice, { kind: "pick" }>,
  locale: Locale,
): string {
  if (!open.clientName) return t(locale, "aging.pick.gone");
  if (open.invoices.length === 0) return md(locale, "aging.pick.nothing_open", { client: open.clientName });
  const shown = open.invoices.slice(0, SHOWN_INVOICES).map((i) =>
    md(locale, i.dueDate ? "aging.pick.line" : "aging.pick.line_no_due_date", {
      number: i.number ?? t(locale, "aging.pick.draft"),
      amount: { amountMinor: i.openMinor, currency: i.currency },
      due: calendarDate(i.dueDate ?? "1970-01-01"),
    }),
  );
  if (open.invoices.length > SHOWN_INVOICES) shown.push(t(locale, "aging.pick.more"));
  const intro = md(locale, "aging.pick.several", {
    client: open.clientName,
    count: open.invoices.length,
    many: String(open.invoices.length > SHOWN_INVOICES),
    verb,
  });
  return `${intro}\n${shown.join("\n")}`;
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
