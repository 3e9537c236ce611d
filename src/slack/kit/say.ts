// Catalogue messages in Slack: the reader's locale from the request, and mrkdwn whose values are
// escaped (a name "<!channel>" is shown, never notifies) unless Cobro wrote them (`markup()`).
import { isDomainError } from "../../domain/errors.ts";
import {
  CATALOGUES,
  DEFAULT_LOCALE,
  isLocale,
  type Locale,
  type MessageKey,
  type MessageValue,
  t,
} from "../../i18n/index.ts";
import { escapeMrkdwn, type Markup, markupText } from "./blocks.ts";

/** The reader's language as the database knows it, put on the request context by the app's middleware. */
export function localeOf(context: Record<string, unknown>): Locale {
  return isLocale(context.locale) ? context.locale : DEFAULT_LOCALE;
}

/** The reader's language, asking Slack for it when they chose none: call it after any views.open. */
export async function readerLocale(context: Record<string, unknown>): Promise<Locale> {
  const ask = context.askLocale;
  if (typeof ask !== "function") return localeOf(context);
  const locale = await (ask as () => Promise<Locale>)();
  context.locale = locale;
  context.askLocale = undefined;
  return locale;
}

/** A catalogue message as Slack mrkdwn: string values escaped, `markup()` values kept. */
export function md(
  locale: Locale,
  key: MessageKey,
  values: Record<string, MessageValue | Markup> = {},
): string {
  const escaped: Record<string, MessageValue> = {};
  for (const [name, value] of Object.entries(values)) {
    const kept = markupText(value);
    escaped[name] = kept ?? (typeof value === "string" ? escapeMrkdwn(value) : (value as MessageValue));
  }
  return t(locale, key, escaped);
}

const isKey = (key: string): key is MessageKey => key in CATALOGUES.en;

/**
 * A refusal's words in the reader's language when the catalogue has them: by the error's
 * messageKey (values named `…Key` are keys themselves, translated first, and `…Keys` comma-separated
 * keys said as a list; `…Minor` amounts are
 * money in the value `currency`, shown as `…`), else by `error.<code>`; otherwise its English
 * userMessage. Plain text: the caller escapes it.
 */
export function translatedUserMessage(error: unknown, locale: Locale): string | null {
  // Mrkdwn refusals (mentions of admins) are composed by Cobro itself and stay as they are.
  if (!isDomainError(error) || error.mrkdwn) return null;
  const key = error.messageKey ?? `error.${error.code}`;
  if (!isKey(key)) return null;
  const values: Record<string, MessageValue> = {};
  for (const [name, value] of Object.entries(error.messageValues)) {
    const currency = error.messageValues.currency;
    if (name.endsWith("Key") && typeof value === "string" && isKey(value))
      values[name.slice(0, -3)] = t(locale, value);
    else if (name.endsWith("Minor") && typeof value === "number" && typeof currency === "string")
      values[name.slice(0, -5)] = { amountMinor: value, currency };
    else if (name.endsWith("Keys") && typeof value === "string") {
      const said = value.split(",").map((k) => (isKey(k) ? t(locale, k) : k));
      values[name.slice(0, -4)] = new Intl.ListFormat(locale).format(said);
    } else values[name] = value;
  }
  return t(locale, key, values);
}
