import { describe, expect, it } from "vitest";
import { DEFAULT_POLICIES } from "../../src/domain/dunning.ts";
import { formatDunningLevels, parseDunningLevels } from "../../src/domain/dunning-text.ts";

const TEMPLATES = ["due_soon", "overdue_courteous", "overdue_firm", "formal_notice", "call_client"];

describe("dunning levels as text", () => {
  it("reads back exactly what it writes, for every built-in policy", () => {
    for (const policy of Object.values(DEFAULT_POLICIES)) {
      const parsed = parseDunningLevels(formatDunningLevels(policy.levels), TEMPLATES);
      expect(parsed).toEqual({ ok: true, levels: policy.levels });
    }
  });

  it("fills templates from tone and channel, skips blank and # lines, and names each bad line", () => {
    const parsed = parseDunningLevels(
      "# gentle first\ndue-2 email courteous\n\n+4 SLACK firm\n+9 email formal",
      TEMPLATES,
    );
    expect(parsed.ok && parsed.levels.map((l) => [l.level, l.template])).toEqual([
      [1, "due_soon"],
      [2, "call_client"],
      [3, "formal_notice"],
    ]);
    const bad = parseDunningLevels("due+3 email rude\nsoon email firm\n+5 email firm letter_x", TEMPLATES);
    expect(bad.ok ? [] : bad.errors.map((e) => [e.line, e.problem])).toEqual([
      [1, "tone"],
      [2, "timing"],
      [3, "template"],
    ]);
  });
});
