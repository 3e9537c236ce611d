// The card a doubtful bank credit posts to the collections channel: what came in, what Cobro
// suggests and why, and Confirm / Pick another / Not ours.
import type { types } from "@slack/bolt";
import type { BankReason } from "../../domain/bank-matching.ts";
import { calendarDate, type Locale, t } from "../../i18n/index.ts";
import {
  actions,
  type Block,
  button,
  context,
  escapeMrkdwn,
  markup,
  option,
  plain,
  section,
} from "../../slack/kit/blocks.ts";
import { BANK_ACTIONS } from "../../slack/kit/ids.ts";
import { md } from "../../slack/kit/support.ts";
import type { BankLineSuggestion } from "../bank-lines-repo.ts";
import { bankReasonText } from "../bank-reason-text.ts";

export { BANK_ACTIONS };

export type BankCardLine = {
  id: string;
  bookedOn: string;
  amountMinor: number;
  currency: string;
  text: string;
  payerName: string | null;
  reason: BankReason | null;
};

const money = (amountMinor: number, currency: string) => ({ amountMinor, currency: currency.trim() });

/** The card in the workspace's language: what came in, the invoices Cobro proposes, why. */
export function buildBankSuggestionCard(line: BankCardLine, suggestion: BankLineSuggestion, locale: Locale) {
  const currency = line.currency.trim();
  const proposed = new Intl.ListFormat(locale).format(
    suggestion.plan.allocations.map((a) =>
      t(locale, "imports.card.allocation", { number: a.number, amount: money(a.amountMinor, currency) }),
    ),
  );
  const values = { credit: creditInWords(line, locale), proposed };
  const text = md(locale, "imports.card.text", values);
  const others = suggestion.candidates;
  const pick: types.StaticSelect = {
    type: "static_select",
    action_id: BANK_ACTIONS.pick,
    placeholder: plain(t(locale, "imports.card.pick"), 150),
    options: others.map((c) =>
      option(
        t(locale, "imports.card.option", {
          number: c.number,
          client: c.clientName,
          amount: money(c.openMinor, c.currency),
        }),
        `${line.id}:${c.invoiceId}`,
        c.dueDate ? t(locale, "imports.card.option_due", { date: calendarDate(c.dueDate) }) : undefined,
      ),
    ),
  };
  const blocks: Block[] = [
    section(`:bank: ${text}`),
    section(`>${escapeMrkdwn(line.text || t(locale, "imports.credit.no_text"))}`),
    context(md(locale, "imports.card.why", { reason: reasonOf(line, locale) })),
    actions([
      button(t(locale, "imports.card.confirm", { proposed }), BANK_ACTIONS.confirm, line.id, "primary"),
      ...(others.length > 0 ? [pick] : []),
      button(t(locale, "imports.card.not_ours"), BANK_ACTIONS.notOurs, line.id, "danger"),
    ]),
  ];
  return { text, blocks };
}

/** What the card becomes once someone settled it, in the workspace's language. */
export function buildBankSettledCard(
  line: BankCardLine,
  outcome: string,
  slackUserId: string,
  locale: Locale,
) {
  const text = md(locale, "imports.card.settled", {
    credit: creditInWords(line, locale),
    outcome,
    person: markup(`<@${slackUserId}>`),
  });
  return { text, blocks: [section(`:white_check_mark: ${text}`)] };
}

const reasonOf = (line: BankCardLine, locale: Locale) =>
  line.reason ? bankReasonText(line.reason, locale) : "";

/** A credit as the reader says it: amount in their format, the payer, the booking day. */
function creditInWords(line: BankCardLine, locale: Locale): string {
  const values = {
    amount: { amountMinor: line.amountMinor, currency: line.currency.trim() },
    date: calendarDate(line.bookedOn),
  };
  return line.payerName
    ? t(locale, "imports.credit.from", { ...values, payer: line.payerName })
    : t(locale, "imports.credit.unnamed", values);
}

/** The App Home's list of credits waiting for a collector, in their language (read-only: the cards carry the buttons). */
export function buildWaitingCreditsSection(
  lines: readonly BankCardLine[],
  total: number,
  outcomeOf: (id: string) => string,
  locale: Locale,
) {
  const blocks: Block[] = lines.map((line) =>
    section(
      md(locale, "imports.waiting.line", {
        credit: creditInWords(line, locale),
        outcome: outcomeOf(line.id),
        text: line.text || t(locale, "imports.credit.no_text"),
        reason: reasonOf(line, locale),
      }),
    ),
  );
  if (total > lines.length)
    blocks.push(context(t(locale, "imports.waiting.more", { count: total - lines.length })));
  if (lines.length === 0) blocks.push(context(t(locale, "imports.waiting.none")));
  return { title: t(locale, "imports.waiting.title", { count: total }), blocks };
}
