// Cobro in the reader's language: locales, the catalogues and the one function that reads them.
export type { Locale, MessageKey, MessageValue, MessageValues } from "./t.ts";
export {
  CATALOGUES,
  calendarDate,
  DEFAULT_LOCALE,
  isLocale,
  isMessageKey,
  LANGUAGE_NAMES,
  LOCALES,
  localeFromTag,
  t,
} from "./t.ts";
