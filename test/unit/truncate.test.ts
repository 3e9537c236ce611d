import { describe, expect, it } from "vitest";
import { truncate } from "../../src/slack/kit/blocks.ts";

const codePoints = (s: string) => Array.from(s).length;
const hasLoneSurrogate = (s: string) =>
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe("truncate", () => {
  it("keeps text that fits untouched", () => {
    expect(truncate("Issue & send", 75)).toBe("Issue & send");
    expect(truncate("", 75)).toBe("");
  });

  it("stays within the limit in UTF-16 units and code points with emoji", () => {
    const label = `${"a".repeat(70)}${"💶".repeat(10)}`;
    const out = truncate(label, 75);
    expect(out.length).toBeLessThanOrEqual(75);
    expect(codePoints(out)).toBeLessThanOrEqual(75);
    expect(out.endsWith("…")).toBe(true);
    expect(hasLoneSurrogate(out)).toBe(false);
  });

  it("never splits a surrogate pair or an emoji sequence, whatever the limit", () => {
    const text = "💶👩‍💻🇪🇸é".repeat(30);
    for (let max = 0; max < 80; max++) {
      const out = truncate(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(codePoints(out)).toBeLessThanOrEqual(max);
      expect(hasLoneSurrogate(out)).toBe(false);
      const body = out.replace(/…$/, "");
      expect(text.startsWith(body)).toBe(true);
      // Cut between whole clusters: what is kept ends on a complete emoji of the pattern.
      expect(["", "💶", "👩‍💻", "🇪🇸", "é"].some((end) => body.endsWith(end))).toBe(true);
    }
  });

  it("was off by one before: 75 emoji-heavy characters became 76 UTF-16 units", () => {
    const out = truncate("🙂".repeat(100), 75);
    expect(out.length).toBeLessThanOrEqual(75);
    expect(out).toBe(`${"🙂".repeat(37)}…`);
  });
});
