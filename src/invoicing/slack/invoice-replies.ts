// What the buttons of an invoice's message answer once their verb ran, in the reader's language.
import { type Locale, t } from "../../i18n/index.ts";
import { buildTextReply, type Reply } from "../../slack/kit/replies.ts";
import { md } from "../../slack/kit/support.ts";
import type { IssueAndSendResult } from "../issue-and-send-invoice.ts";

export function issuedReply(result: IssueAndSendResult, locale: Locale): Reply {
  const number = result.number ?? "?";
  if (result.alreadyDone) return buildTextReply(md(locale, "invoicing.issue.already", { number }));
  const done = md(locale, "invoicing.issue.done", { number });
  if (!result.noVerifactuRecord) return buildTextReply(done);
  const why = md(locale, "invoicing.issue.no_verifactu", { reason: result.noVerifactuRecord });
  return buildTextReply(`${done} ${why}`);
}

export function heldReply(result: { alreadyDone: boolean }, locale: Locale): Reply {
  return buildTextReply(t(locale, result.alreadyDone ? "invoicing.hold.already" : "invoicing.hold.done"));
}

export function draftSavedText(
  result: { lines: number; totalMinor: number; currency: string },
  locale: Locale,
): string {
  const total = { amountMinor: result.totalMinor, currency: result.currency };
  return t(locale, "invoicing.edit.saved", { lines: result.lines, total });
}
