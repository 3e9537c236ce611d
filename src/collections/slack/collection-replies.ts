// What the collections buttons answer once their service ran, in the reader's language.
import { DEFAULT_LOCALE, type Locale, t } from "../../i18n/index.ts";

const said = (alreadyDone: boolean) => (alreadyDone ? "yes" : "no");

export function reminderNowText(
  result: { alreadyDone: boolean; level: number },
  locale: Locale = DEFAULT_LOCALE,
): string {
  return t(locale, "collections.reply.reminder_now", {
    already: said(result.alreadyDone),
    level: result.level,
  });
}

export function outOfDateText(locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, "collections.reply.out_of_date");
}

export function assignedText(result: { alreadyDone: boolean }, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, "collections.reply.assigned", { already: said(result.alreadyDone) });
}

export function formalNoticeText(result: { alreadyDone: boolean }, locale: Locale = DEFAULT_LOCALE): string {
  return t(locale, "collections.reply.formal_notice", { already: said(result.alreadyDone) });
}
