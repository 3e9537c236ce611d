// What the report's buttons and menus answer beside the report. Pure text.
import type { DebtorInvoiceChoice } from "../../collections/index.ts";
import { formatMoney } from "../../domain/money.ts";
import { slackText } from "../../slack/kit/blocks.ts";

export const STALE = "This report is out of date: run `/aging` again.";

export const SHARE_REPLIES = {
  shared: ":white_check_mark: Shared in this channel.",
  alreadyShared: "This report is already shared in this channel.",
  notInChannel: "Cobro cannot post in this channel: invite it with `/invite @Cobro` and try again.",
} as const;

export const EXPORT_REPLIES = {
  sent: ":page_facing_up: The CSV is in your direct messages with Cobro.",
  alreadySent: "This CSV is already in your direct messages.",
} as const;

export const TREND_REPLIES = {
  sent: ":bar_chart: The 12-month trend is in your direct messages with Cobro.",
  alreadySent: "This trend is already in your direct messages.",
} as const;

export function statementReply(sent: { alreadyDone: boolean; clientName: string; to: string[] }): string {
  const to = sent.to.join(", ");
  return sent.alreadyDone
    ? slackText`The statement of account of ${sent.clientName} already went today to ${to}.`
    : slackText`:email: The statement of account of ${sent.clientName} is on its way to ${to}.`;
}

/** A payment or a reminder is for one invoice: when a debtor has several, say which to pick. */
export function pickInvoiceText(
  verb: "pay" | "remind",
  open: Extract<DebtorInvoiceChoice, { kind: "pick" }>,
): string {
  if (!open.clientName) return "That client no longer exists in this workspace.";
  if (open.invoices.length === 0) return slackText`${open.clientName} has nothing open: nothing to do.`;
  const shown = open.invoices.slice(0, 10).map((i) => {
    const amount = formatMoney({ amountMinor: i.openMinor, currency: i.currency }, open.locale);
    return slackText`• *${i.number ?? "draft"}* · ${amount} open · due ${i.dueDate ?? "?"}`;
  });
  const more = open.invoices.length > 10 ? "\n• …and more" : "";
  const what = verb === "pay" ? "A payment is recorded" : "A reminder goes";
  return `${slackText`${open.clientName}`} has ${open.invoices.length > 10 ? "more than 10" : open.invoices.length} open invoices. ${what} for one invoice: pick it with *View invoices* → a bucket → the invoice's menu.\n${shown.join("\n")}${more}`;
}
