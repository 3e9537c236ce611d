// The languages Cobro speaks in Slack, and how a Slack locale tag ("es-ES", "fr-CA") maps to one.
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
