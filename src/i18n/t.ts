// The languages Cobro speaks in Slack, and messages by key in the reader's language from the
// catalogues in messages/ (ICU MessageFormat: plurals, selects, numbers and dates by the reader's
// conventions; money values formatted here). One module: every reply needs both.
import IntlMessageFormat from "intl-messageformat";
import { formatMoney, type Money } from "../domain/money.ts";
import en from "./messages/en.json" with { type: "json" };
import es from "./messages/es.json" with { type: "json" };
import fr from "./messages/fr.json" with { type: "json" };

// --- languages: how a Slack locale tag ("es-ES", "fr-CA") maps to one ---------------------------

export const LOCALES = ["en", "es", "fr"] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = "en";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The language of a Slack (BCP 47) locale tag, or null when Cobro does not speak it. */
export function localeFromTag(tag: string | null | undefined): Locale | null {
  const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : null;
}

/** What each language is called in itself, for pickers and confirmations. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", es: "Español", fr: "Français" };

// --- messages ------------------------------------------------------------------------------------

export type MessageKey = keyof typeof en;
/** A Money value is shown in the reader's format; a Date with `{x, date, medium}` (calendar dates are UTC midnight). */
export type MessageValue = string | number | Date | Money;
export type MessageValues = Record<string, MessageValue>;

export const CATALOGUES: Record<Locale, Record<string, string>> = { en, es, fr };

/** Whether a string names a catalogue message (a refusal can carry a key instead of words). */
export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(en, key);

// Calendar dates (a due date) are days, not instants: shown in UTC so no time zone moves them.
const FORMATS = {
  date: {
    short: { timeZone: "UTC", day: "numeric", month: "short" },
    medium: { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" },
    long: { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" },
  },
} as const;

const compiled = new Map<string, IntlMessageFormat>();

function compile(locale: Locale, key: MessageKey): IntlMessageFormat {
  const id = `${locale}\u0000${key}`;
  let format = compiled.get(id);
  if (!format) {
    // A key missing in one language (the catalogue test forbids it) falls back to English.
    const source = CATALOGUES[locale][key] ?? en[key];
    // Slack mrkdwn is not rich text: `<` in a message is text, never a tag.
    format = new IntlMessageFormat(source, locale, FORMATS, { ignoreTag: true });
    compiled.set(id, format);
  }
  return format;
}

const isMoney = (value: MessageValue): value is Money =>
  typeof value === "object" && !(value instanceof Date) && "amountMinor" in value;

/** The message `key` in `locale` with its placeholders filled; values are not escaped (see slack/kit). */
export function t(locale: Locale, key: MessageKey, values: MessageValues = {}): string {
  const prepared: Record<string, string | number | Date> = {};
  for (const [name, value] of Object.entries(values)) {
    prepared[name] = isMoney(value) ? formatMoney(value, locale) : value;
  }
  return String(compile(locale, key).format(prepared));
}

/** A calendar date ("2026-06-30") as the Date a `{x, date}` placeholder takes. */
export function calendarDate(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}
