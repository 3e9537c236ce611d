// The catalogues a translator edits: every key in every language, the same placeholders, valid ICU.
import IntlMessageFormat from "intl-messageformat";
import { describe, expect, it } from "vitest";
import { CATALOGUES, calendarDate, LOCALES, t } from "../../src/i18n/index.ts";

type Element = {
  type: number;
  value?: string;
  options?: Record<string, { value: Element[] }>;
  children?: Element[];
};

/** Placeholder names with their kind (argument, number, date, select, plural…), from the ICU syntax tree. */
function placeholders(message: string, locale: string): Set<string> {
  const found = new Set<string>();
  const walk = (elements: Element[]) => {
    for (const element of elements) {
      if (element.type !== 0 && element.type !== 7 && element.value !== undefined) {
        // A plain {x} inside a plural is the same value as the plural's own: kinds compared only for formats.
        found.add(`${element.value}:${element.type === 1 ? "argument" : element.type}`);
      }
      for (const option of Object.values(element.options ?? {})) walk(option.value);
      if (element.children) walk(element.children);
    }
  };
  walk(new IntlMessageFormat(message, locale, undefined, { ignoreTag: true }).getAst() as Element[]);
  return found;
}

describe("message catalogues", () => {
  const english = CATALOGUES.en;

  it.each(LOCALES)("%s has every English key and no other", (locale) => {
    expect(Object.keys(CATALOGUES[locale]).sort()).toEqual(Object.keys(english).sort());
  });

  it.each(LOCALES)("%s uses exactly the placeholders of each English message", (locale) => {
    const mismatches: string[] = [];
    for (const [key, message] of Object.entries(CATALOGUES[locale])) {
      const source = english[key];
      if (source === undefined) continue;
      const want = [...placeholders(source, "en")].sort();
      const got = [...placeholders(message, locale)].sort();
      if (JSON.stringify(want) !== JSON.stringify(got))
        mismatches.push(`${key}: ${got.join(",")} ≠ ${want.join(",")}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("formats plurals, money and dates by the reader's conventions", () => {
    const money = { amountMinor: 123456, currency: "EUR" };
    expect(t("es", "milestone.done.draft", { project: "ATLAS", milestone: "Diseño", amount: money })).toMatch(
      /1234,56\s€/,
    );
    expect(t("fr", "milestone.done.draft", { project: "ATLAS", milestone: "Design", amount: money })).toMatch(
      /1\s234,56\s€/,
    );
    expect(
      t("en", "milestone.done.draft", { project: "ATLAS", milestone: "Design", amount: money }),
    ).toContain("€1,234.56");
    expect(t("en", "milestone.picker.hidden", { count: 1 })).toMatch(/^1 more not listed/);
    expect(t("fr", "milestone.picker.hidden", { count: 3 })).toMatch(/^3 autres non listés/);
    expect(calendarDate("2026-06-30").toISOString()).toBe("2026-06-30T00:00:00.000Z");
  });
});
