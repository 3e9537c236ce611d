import { describe, expect, it } from "vitest";
import { nameProblem, projectCodeKey } from "../../src/domain/names.ts";

describe("names", () => {
  it.each([
    ["Acme\u202Egnp.exe", /text-direction override/],
    ["Acme \u2066x\u2069", /text-direction override/],
    ["Acme\nIndustries", /line break/],
    ["Acme\r", /line break/],
    ["Acme\u0007", /control character/],
    ["Acme\u0000", /NUL byte/],
    ["\u200B\u200D \uFEFF", /only invisible/],
  ])("refuses %j", (name, why) => {
    expect(nameProblem(name)).toMatch(why);
  });

  it.each([
    "Acme Industrias SA",
    "Mairie de Lyon",
    "株式会社アクメ",
    "שלום",
    "Café & Co <Ltd>",
    "👩‍💻 Studio",
  ])("accepts %j", (name) => {
    expect(nameProblem(name)).toBeNull();
  });

  it("compares project codes in one form", () => {
    expect(projectCodeKey(" atlas ")).toBe(projectCodeKey("ATLAS"));
  });
});
