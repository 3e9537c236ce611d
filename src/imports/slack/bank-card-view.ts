// The card a doubtful bank credit posts to the collections channel: what came in, what Cobro
// suggests and why, and Confirm / Pick another / Not ours.
import type { types } from "@slack/bolt";
import { toDecimalString } from "../../domain/money.ts";
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
  slackText,
} from "../../slack/kit/blocks.ts";
import { BANK_ACTIONS } from "../../slack/kit/ids.ts";
import { md } from "../../slack/kit/say.ts";
import type { BankLineSuggestion } from "../load-bank-line.ts";

export { BANK_ACTIONS };

export type BankCardLine = {
  id: string;
  bookedOn: string;
  amountMinor: number;
  currency: string;
  text: string;
  payerName: string | null;
  reason: string | null;
};

const money = (minor: number, currency: string) => `${toDecimalString(minor, currency)} ${currency}`;

export function describeCredit(line: BankCardLine): string {
  const from = line.payerName ? ` from ${line.payerName}` : "";
  return `${money(line.amountMinor, line.currency.trim())}${from} on ${line.bookedOn}`;
}

export function buildBankSuggestionCard(line: BankCardLine, suggestion: BankLineSuggestion) {
  const currency = line.currency.trim();
  const proposed = suggestion.plan.allocations
    .map((a) => `${a.number} (${money(a.amountMinor, currency)})`)
    .join(", ");
  const text = slackText`Bank credit of ${describeCredit(line)}: is it ${proposed}?`;
  const others = suggestion.candidates;
  const pick: types.StaticSelect = {
    type: "static_select",
    action_id: BANK_ACTIONS.pick,
    placeholder: plain("Pick another…", 150),
    options: others.map((c) =>
      option(
        `${c.number} · ${c.clientName} · ${money(c.openMinor, c.currency)} open`,
        `${line.id}:${c.invoiceId}`,
        c.dueDate ? `due ${c.dueDate}` : undefined,
      ),
    ),
  };
  const blocks: Block[] = [
    section(`:bank: ${text}`),
    section(`>${escapeMrkdwn(line.text || "(no remittance text)")}`),
    context(`Why: ${escapeMrkdwn(line.reason ?? "")}`),
    actions([
      button(`Confirm ${proposed}`, BANK_ACTIONS.confirm, line.id, "primary"),
      ...(others.length > 0 ? [pick] : []),
      button("Not ours", BANK_ACTIONS.notOurs, line.id, "danger"),
    ]),
  ];
  return { text, blocks };
}

/** What the card becomes once someone settled it. */
export function buildBankSettledCard(line: BankCardLine, outcome: string, slackUserId: string) {
  const text = slackText`Bank credit of ${describeCredit(line)}: ${outcome} (${markup(`<@${slackUserId}>`)})`;
  return { text, blocks: [section(`:white_check_mark: ${text}`)] };
}

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
        reason: line.reason ?? "",
      }),
    ),
  );
  if (total > lines.length)
    blocks.push(context(t(locale, "imports.waiting.more", { count: total - lines.length })));
  if (lines.length === 0) blocks.push(context(t(locale, "imports.waiting.none")));
  return { title: t(locale, "imports.waiting.title", { count: total }), blocks };
}
