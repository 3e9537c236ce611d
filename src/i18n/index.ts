// Cobro in the reader's language: locales, the catalogues and the one function that reads them.
export type { Locale } from "./locale.ts";
export { DEFAULT_LOCALE, isLocale, LANGUAGE_NAMES, LOCALES, localeFromTag } from "./locale.ts";
export type { MessageKey, MessageValue, MessageValues } from "./t.ts";
export { CATALOGUES, calendarDate, t } from "./t.ts";
