import { describe, expect, it } from "vitest";
import {
  assertFormalNoticeAllowed,
  type CollectionState,
  DEFAULT_POLICIES,
  type DunningPolicy,
  isPromiseBroken,
  nextCollectionAction,
  resolveDunningPolicy,
  validateDunningPolicy,
} from "../../src/domain/dunning.ts";
import { DomainError } from "../../src/domain/errors.ts";

const state = (overrides: Partial<CollectionState> = {}): CollectionState => ({
  dueDate: "2026-10-31",
  openMinor: 121_000,
  invoiceStatus: "issued",
  level: 0,
  lastReminderOn: null,
  pausedUntil: null,
  promisedOn: null,
  disputed: false,
  formalApproved: false,
  ...overrides,
});

const business = DEFAULT_POLICIES.business;

describe("dunning policies", () => {
  it("ships valid defaults with different cadences per profile", () => {
    for (const policy of Object.values(DEFAULT_POLICIES)) expect(validateDunningPolicy(policy)).toBe(policy);
    const firstOverdue = (p: DunningPolicy) => p.levels.find((l) => l.offsetDays > 0)!.offsetDays;
    expect(firstOverdue(DEFAULT_POLICIES.public)).toBeGreaterThan(firstOverdue(DEFAULT_POLICIES.business));
    expect(DEFAULT_POLICIES.individual.levels[0]!.offsetDays).toBeLessThan(0);
  });

  it("refuses a formal notice with fewer than three reminders before it", () => {
    const policy: DunningPolicy = {
      name: "too fast",
      levels: [
        { level: 1, offsetDays: 1, relativeTo: "due", channel: "email", tone: "courteous", template: "a" },
        { level: 2, offsetDays: 7, relativeTo: "previous", channel: "email", tone: "firm", template: "b" },
        { level: 3, offsetDays: 7, relativeTo: "previous", channel: "email", tone: "formal", template: "c" },
      ],
    };
    expect(() => validateDunningPolicy(policy)).toThrow(/at least 3 reminders/);
  });

  it("refuses gaps in numbering and a first level relative to a previous one", () => {
    const gap: DunningPolicy = {
      name: "gap",
      levels: [
        { level: 1, offsetDays: 1, relativeTo: "due", channel: "email", tone: "courteous", template: "a" },
        { level: 3, offsetDays: 7, relativeTo: "previous", channel: "email", tone: "firm", template: "b" },
      ],
    };
    expect(() => validateDunningPolicy(gap)).toThrow(DomainError);
    const first: DunningPolicy = {
      name: "first",
      levels: [
        {
          level: 1,
          offsetDays: 5,
          relativeTo: "previous",
          channel: "email",
          tone: "courteous",
          template: "a",
        },
      ],
    };
    expect(() => validateDunningPolicy(first)).toThrow(/first level/);
  });

  it("resolves project over client over workspace profile over the built-in default", () => {
    const p = (name: string): DunningPolicy => ({ name, levels: business.levels });
    const candidates = [
      { scope: "profile" as const, profile: "business" as const, policy: p("profile") },
      { scope: "client" as const, clientId: "c1", policy: p("client") },
      { scope: "project" as const, projectId: "p1", policy: p("project") },
    ];
    const invoice = { profile: "business" as const, clientId: "c1", projectId: "p1" };
    expect(resolveDunningPolicy(candidates, invoice).name).toBe("project");
    expect(resolveDunningPolicy(candidates, { ...invoice, projectId: "p2" }).name).toBe("client");
    expect(resolveDunningPolicy(candidates, { ...invoice, clientId: "c2", projectId: null }).name).toBe(
      "profile",
    );
    expect(resolveDunningPolicy([], { ...invoice, profile: "public" }).name).toBe(
      DEFAULT_POLICIES.public.name,
    );
  });
});

describe("next collection action", () => {
  it("waits, then sends the first level (3 days before due for business)", () => {
    expect(nextCollectionAction(business, state(), "2026-10-27")).toMatchObject({
      kind: "wait",
      sendOn: "2026-10-28",
    });
    expect(nextCollectionAction(business, state(), "2026-10-28")).toMatchObject({
      kind: "send",
      level: { level: 1, template: "due_soon" },
    });
  });

  it("never skips a level for a very old invoice and keeps reminders apart", () => {
    const old = state({ dueDate: "2025-01-01" });
    expect(nextCollectionAction(business, old, "2026-11-20")).toMatchObject({
      kind: "send",
      level: { level: 1 },
    });
    const afterOne = state({ dueDate: "2025-01-01", level: 1, lastReminderOn: "2026-11-20" });
    // level 2 is "due + 3" (long past) but never closer than 3 days to the previous one
    expect(nextCollectionAction(business, afterOne, "2026-11-21")).toMatchObject({
      kind: "wait",
      sendOn: "2026-11-23",
    });
  });

  it("stops for paid, disputed, paused and promised invoices", () => {
    const today = "2026-11-20";
    expect(nextCollectionAction(business, state({ openMinor: 0 }), today)).toEqual({
      kind: "stop",
      reason: "paid",
    });
    expect(nextCollectionAction(business, state({ invoiceStatus: "paid" }), today)).toEqual({
      kind: "stop",
      reason: "paid",
    });
    expect(nextCollectionAction(business, state({ disputed: true }), today)).toEqual({
      kind: "stop",
      reason: "disputed",
    });
    expect(nextCollectionAction(business, state({ pausedUntil: today }), today)).toEqual({
      kind: "stop",
      reason: "paused",
    });
    expect(nextCollectionAction(business, state({ promisedOn: "2026-11-25" }), today)).toEqual({
      kind: "stop",
      reason: "promised",
    });
    expect(nextCollectionAction(business, state({ pausedUntil: "2026-11-19" }), today).kind).toBe("send");
  });

  it("detects a broken promise the day after its date", () => {
    expect(isPromiseBroken(state({ promisedOn: "2026-11-20" }), "2026-11-20")).toBe(false);
    expect(isPromiseBroken(state({ promisedOn: "2026-11-20" }), "2026-11-21")).toBe(true);
    expect(isPromiseBroken(state({ promisedOn: "2026-11-20", openMinor: 0 }), "2026-11-21")).toBe(false);
  });

  it("holds the formal notice for approval after the reminders, and sends it once approved", () => {
    const ready = state({ level: 4, lastReminderOn: "2026-11-20" });
    expect(nextCollectionAction(business, ready, "2026-11-30")).toMatchObject({
      kind: "await_approval",
      level: { level: 5, tone: "formal" },
    });
    expect(nextCollectionAction(business, { ...ready, formalApproved: true }, "2026-11-30").kind).toBe(
      "send",
    );
    expect(
      nextCollectionAction(business, state({ level: 5, lastReminderOn: "2026-11-30" }), "2026-12-30"),
    ).toEqual({
      kind: "finished",
    });
  });

  it("refuses to approve the formal notice before it is the next step", () => {
    expect(() => assertFormalNoticeAllowed(business, state({ level: 2 }))).toThrow(DomainError);
    expect(assertFormalNoticeAllowed(business, state({ level: 4 })).tone).toBe("formal");
  });
});
