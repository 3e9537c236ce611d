// What the collections buttons and modals answer once their service ran, in the reader's language.
import type { Money } from "../../domain/money.ts";
import { calendarDate, type Locale, t } from "../../i18n/index.ts";
import { md } from "../../slack/kit/say.ts";

const said = (alreadyDone: boolean) => (alreadyDone ? "yes" : "no");

export function reminderNowText(result: { alreadyDone: boolean; level: number }, locale: Locale): string {
  return t(locale, "collections.reply.reminder_now", {
    already: said(result.alreadyDone),
    level: result.level,
  });
}

export function outOfDateText(locale: Locale): string {
  return t(locale, "collections.reply.out_of_date");
}

export function assignedText(result: { alreadyDone: boolean }, locale: Locale): string {
  return t(locale, "collections.reply.assigned", { already: said(result.alreadyDone) });
}

export function formalNoticeText(result: { alreadyDone: boolean }, locale: Locale): string {
  return t(locale, "collections.reply.formal_notice", { already: said(result.alreadyDone) });
}

/** The modal's last word once saved (mrkdwn: the invoice number escaped). */
export function promiseSavedText(
  result: { alreadyDone: boolean; promisedOn: string },
  number: string,
  locale: Locale,
): string {
  return md(locale, "collections.promise.saved", {
    already: said(result.alreadyDone),
    number,
    date: calendarDate(result.promisedOn),
  });
}

export function pauseSavedText(
  result: { alreadyDone: boolean; until: string },
  number: string,
  locale: Locale,
): string {
  return md(locale, "collections.pause.saved", {
    already: said(result.alreadyDone),
    number,
    until: calendarDate(result.until),
  });
}

export function disputeSavedText(result: { alreadyDone: boolean }, number: string, locale: Locale): string {
  return md(locale, "collections.dispute.saved", { already: said(result.alreadyDone), number });
}

export function paymentRecordedText(
  result: { alreadyDone: boolean; amountMinor: number; openMinor: number; currency: string },
  number: string,
  locale: Locale,
): string {
  const money = (amountMinor: number): Money => ({ amountMinor, currency: result.currency });
  return md(locale, "collections.payment.recorded", {
    already: said(result.alreadyDone),
    number,
    amount: money(result.amountMinor),
    open: money(result.openMinor),
    paid: result.openMinor <= 0 ? "yes" : "no",
  });
}

export function clientPaymentRecordedText(
  result: {
    alreadyDone: boolean;
    clientName: string;
    currency: string;
    allocations: { amountMinor: number }[];
  },
  locale: Locale,
): string {
  const amountMinor = result.allocations.reduce((sum, part) => sum + part.amountMinor, 0);
  return md(locale, "collections.client_payment.recorded", {
    already: said(result.alreadyDone),
    client: result.clientName,
    amount: { amountMinor, currency: result.currency },
    count: result.allocations.length,
  });
}
