import { describe, expect, it } from "vitest";
import {
  candidateProjects,
  matchMilestone,
  normalizeForMatch,
  tokenizeCommand,
} from "../../src/domain/match-project.ts";

const projects = [
  { id: "p1", code: "ATLAS", name: "Atlas Rédesign" },
  { id: "p2", code: "ATL2", name: "Atlantic Portal" },
  { id: "p3", code: "ZEN", name: "Zénith app" },
];
const milestones = [
  { id: "m1", projectId: "p1", name: "Design phase" },
  { id: "m2", projectId: "p1", name: "Delivery" },
  { id: "m3", projectId: "p3", name: "Étape 1" },
  { id: "m4", projectId: "p2", name: "Design phase" },
];
const match = (text: string) => matchMilestone(tokenizeCommand(text), projects, milestones);

describe("forgiving milestone matching", () => {
  it("folds case, accents and punctuation", () => {
    expect(normalizeForMatch("  Zénith — APP! ")).toBe("zenith app");
  });

  it("keeps quoted phrases together", () => {
    expect(tokenizeCommand(`add ATLAS "Phase 2 – go live" 5000`)).toEqual([
      "add",
      "ATLAS",
      "Phase 2 – go live",
      "5000",
    ]);
    expect(tokenizeCommand("add ATLAS “Phase 3” 10")).toEqual(["add", "ATLAS", "Phase 3", "10"]);
  });

  it("matches by code, name prefix, any case and without accents", () => {
    expect(match("atlas design")).toEqual({ kind: "match", projectId: "p1", milestoneId: "m1" });
    expect(match("ATLAS des")).toEqual({ kind: "match", projectId: "p1", milestoneId: "m1" });
    expect(match("zenith etape")).toEqual({ kind: "match", projectId: "p3", milestoneId: "m3" });
    expect(match("atlas redesign delivery")).toEqual({ kind: "match", projectId: "p1", milestoneId: "m2" });
  });

  it("matches the start of any word of a name, never the middle of a word", () => {
    expect(match("portal design")).toEqual({ kind: "match", projectId: "p2", milestoneId: "m4" });
    expect(match("atlantic portal design")).toEqual({ kind: "match", projectId: "p2", milestoneId: "m4" });
    expect(match("lantic design")).toMatchObject({ kind: "pick" });
    expect(match("atlas phase")).toEqual({ kind: "match", projectId: "p1", milestoneId: "m1" });
  });

  it("asks when the milestone is missing or ambiguous", () => {
    const missing = match("atlas");
    expect(missing.kind).toBe("pick");
    if (missing.kind === "pick") expect(missing.milestoneIds.sort()).toEqual(["m1", "m2"]);
    const ambiguous = match("atl design");
    expect(ambiguous.kind).toBe("pick");
    if (ambiguous.kind === "pick") expect(ambiguous.milestoneIds.sort()).toEqual(["m1", "m4"]);
    expect(match("").kind).toBe("pick");
    expect(match("nothing here").kind).toBe("pick");
  });

  it("never throws on random input", () => {
    const alphabet = ` "“”'aéZ0-_/\\<@>*\u0000😀`;
    for (let i = 0; i < 2000; i++) {
      const text = Array.from(
        { length: i % 40 },
        (_, j) => alphabet[(i * 7 + j * 13) % alphabet.length],
      ).join("");
      expect(() => match(text)).not.toThrow();
    }
  });
});

describe("candidateProjects", () => {
  const projects = [
    { id: "p1", code: "ATLAS", name: "Atlas redesign" },
    { id: "p2", code: "ORION", name: "Orion platform" },
    { id: "p3", code: "ZEN", name: "Zen mobile app" },
  ];
  it("keeps only the projects a leading run of the words can name", () => {
    expect(candidateProjects(["atlas", "design"], projects).map((p) => p.id)).toEqual(["p1"]);
    expect(candidateProjects(["orion", "platform", "beta"], projects).map((p) => p.id)).toEqual(["p2"]);
    expect(candidateProjects(["nothing", "here"], projects)).toEqual([]);
  });
});
