// What the collections buttons and modals answer once their service ran, in the reader's language.
import type { Money } from "../../domain/money.ts";
import { calendarDate, type Locale, type MessageKey, t } from "../../i18n/index.ts";
import { md } from "../../slack/kit/support.ts";

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

type Saved = { alreadyDone: boolean; number: string };

/** A modal's last word once saved (mrkdwn: the invoice number escaped). */
function savedText(
  locale: Locale,
  key: MessageKey,
  result: Saved,
  values: Record<string, Date | number> = {},
) {
  return md(locale, key, { already: said(result.alreadyDone), number: result.number, ...values });
}

export function promiseSavedText(result: Saved & { promisedOn: string }, locale: Locale): string {
  return savedText(locale, "collections.promise.saved", result, { date: calendarDate(result.promisedOn) });
}

export function pauseSavedText(result: Saved & { until: string }, locale: Locale): string {
  return savedText(locale, "collections.pause.saved", result, { until: calendarDate(result.until) });
}

export function disputeSavedText(result: Saved, locale: Locale): string {
  return savedText(locale, "collections.dispute.saved", result);
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
