import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeLineNet } from "../../src/domain/invoice-totals.ts";
import {
  detectTimeFormat,
  parseTimeEntryRows,
  readDate,
  readDuration,
} from "../../src/domain/time-entry-formats.ts";
import { buildTimeLines, timeNetMinor, timeQuantity } from "../../src/domain/timesheet-billing.ts";
import { isoWeekLabel, periodFor, previousMonth, weekStart } from "../../src/domain/timesheet-period.ts";
import { entriesEditable, transitionTimesheet, whyNotApprover } from "../../src/domain/timesheet-state.ts";

describe("hours × rate, exact in minor units", () => {
  it("rounds once per line, half up", () => {
    expect(timeNetMinor(450, 9333)).toBe(69998); // 7.5 h × €93.33 = €699.975
    expect(timeNetMinor(1, 10000)).toBe(167); // 1 min × €100/h = €1.6667
    expect(timeNetMinor(1, 100)).toBe(2); // 1 min × ¥100/h (JPY has no minor unit) = 1.67
    expect(timeNetMinor(90, 12345)).toBe(18518); // 1.5 h × 123.45 = 185.175
  });
  it("prints a quantity that gives the line net exactly: hours when exact, else minutes per 60", () => {
    expect(timeQuantity(450)).toEqual({ quantityMilli: 7500, unitCode: "HUR", priceBaseQuantityMilli: 1000 });
    expect(timeQuantity(1)).toEqual({ quantityMilli: 1000, unitCode: "MIN", priceBaseQuantityMilli: 60_000 });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (minutes, rate) => {
          const q = timeQuantity(minutes);
          expect(computeLineNet(q.quantityMilli, rate, q.priceBaseQuantityMilli)).toBe(
            timeNetMinor(minutes, rate),
          );
        },
      ),
    );
  });
  it("sums minutes before rounding, so many small entries do not drift", () => {
    const entries = Array.from({ length: 60 }, (_, i) => ({
      id: String(i),
      personEmail: "ada@x.example",
      personName: "Ada",
      task: null,
      workDate: "2026-11-02",
      minutes: 1,
      hourlyRateMinor: 9333,
    }));
    const [line] = buildTimeLines(entries);
    expect(line).toMatchObject({ minutes: 60, quantityMilli: 1000, netMinor: 9333 });
  });
  it("groups by task, one line per rate", () => {
    const base = { personName: null, workDate: "2026-11-02", minutes: 60 };
    const lines = buildTimeLines(
      [
        { ...base, id: "1", personEmail: "a@x.example", task: "Design", hourlyRateMinor: 9000 },
        { ...base, id: "2", personEmail: "b@x.example", task: "design", hourlyRateMinor: 9000 },
        { ...base, id: "3", personEmail: "c@x.example", task: "Design", hourlyRateMinor: 12000 },
      ],
      "task",
    );
    expect(
      lines.map((l) => [l.unitPriceMinor, l.quantityMilli]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)),
    ).toEqual([
      [9000, 2000],
      [12000, 1000],
    ]);
  });
  it("refuses an entry without any rate", () => {
    expect(() =>
      buildTimeLines([
        {
          id: "1",
          personEmail: "a@x.example",
          personName: null,
          task: null,
          workDate: "2026-11-02",
          minutes: 5,
          hourlyRateMinor: null,
        },
      ]),
    ).toThrow(/hourly rate/);
  });
});

describe("periods", () => {
  it("uses ISO weeks starting Monday, across years", () => {
    expect(weekStart("2026-11-22")).toBe("2026-11-16");
    expect(periodFor("2026-01-01")).toEqual({ start: "2025-12-29", end: "2026-01-04" });
    expect(isoWeekLabel("2026-01-01")).toBe("2026-W01");
    expect(isoWeekLabel("2027-01-01")).toBe("2026-W53");
    expect(periodFor("2026-02-10", "month")).toEqual({ start: "2026-02-01", end: "2026-02-28" });
    expect(previousMonth("2026-03-01")).toEqual({ start: "2026-02-01", end: "2026-02-28" });
  });
});

describe("timesheet state machine", () => {
  it("allows open → submitted → approved | rejected → submitted", () => {
    expect(transitionTimesheet("open", "submit").to).toBe("submitted");
    expect(transitionTimesheet("submitted", "approve").to).toBe("approved");
    expect(transitionTimesheet("submitted", "reject", { reason: "no" }).to).toBe("rejected");
    expect(transitionTimesheet("rejected", "submit").to).toBe("submitted");
    expect(transitionTimesheet("approved", "reopen").to).toBe("open");
  });
  it("explains refusals in words", () => {
    expect(() => transitionTimesheet("approved", "reject", { reason: "x" })).toThrow(
      expect.objectContaining({ userMessage: expect.stringContaining("already approved") }),
    );
    expect(() => transitionTimesheet("rejected", "approve")).toThrow(
      expect.objectContaining({ userMessage: expect.stringContaining("already rejected") }),
    );
    expect(() => transitionTimesheet("submitted", "reject", { reason: "" })).toThrow(/reason/);
    expect(() => transitionTimesheet("open", "submit", { hasEntries: false })).toThrow(/nothing to submit/);
  });
  it("locks entries unless the timesheet is with the person", () => {
    expect([
      entriesEditable("open"),
      entriesEditable("rejected"),
      entriesEditable("submitted"),
      entriesEditable("approved"),
    ]).toEqual([true, true, false, false]);
  });
  it("lets only the project's approver decide, never on their own time", () => {
    const sheet = { designatedApproverId: "pm", personEmail: "ada@x.example", projectLabel: "ATLAS" };
    expect(whyNotApprover({ memberId: "pm", roles: [] }, sheet)).toBeNull();
    expect(whyNotApprover({ memberId: "other", roles: ["approver"] }, sheet)).toMatch(/Only the approver/);
    expect(whyNotApprover({ memberId: "pm", email: "ADA@x.example", roles: [] }, sheet)).toMatch(
      /own timesheet/,
    );
    expect(
      whyNotApprover({ memberId: "x", roles: ["approver"] }, { ...sheet, designatedApproverId: null }),
    ).toBeNull();
    expect(whyNotApprover({ memberId: "x", roles: [] }, { ...sheet, designatedApproverId: null })).toMatch(
      /approver role/,
    );
  });
});

describe("time export parsing", () => {
  it("detects each tool from its header", () => {
    expect(detectTimeFormat(["external_id", "project_code", "person_email", "date", "hours"])).toBe("cobro");
    expect(
      detectTimeFormat([
        "date",
        "client",
        "project",
        "project_code",
        "task",
        "notes",
        "hours",
        "billable?",
        "first_name",
        "last_name",
      ]),
    ).toBe("harvest");
    expect(
      detectTimeFormat(["user", "email", "project", "start_date", "start_time", "duration", "amount_(usd)"]),
    ).toBe("toggl");
    expect(detectTimeFormat(["project", "email", "start_date", "duration_(h)", "duration_(decimal)"])).toBe(
      "clockify",
    );
    expect(detectTimeFormat(["when", "who"])).toBeNull();
  });
  it("reads durations and dates the way the tools write them", () => {
    expect(readDuration("7.5")).toEqual({ ok: true, value: 450 });
    expect(readDuration("7,25")).toEqual({ ok: true, value: 435 });
    expect(readDuration("01:15:30")).toEqual({ ok: true, value: 76 });
    expect(readDuration("0:00:20")).toMatchObject({ ok: false });
    expect(readDuration("25")).toMatchObject({ ok: false, message: expect.stringContaining("24 hours") });
    expect(readDate("11/17/2026")).toEqual({ ok: true, value: "2026-11-17" });
    expect(readDate("17/11/2026", { dayFirst: true })).toEqual({ ok: true, value: "2026-11-17" });
    expect(readDate("17.11.2026")).toEqual({ ok: true, value: "2026-11-17" });
    expect(readDate("2026-02-30")).toMatchObject({ ok: false });
  });
  it("gives identical rows of one file distinct, stable identities", () => {
    const cells = {
      date: "2026-11-16",
      project: "Atlas",
      hours: "1",
      first_name: "Ada",
      last_name: "L",
      notes: "x",
    };
    const parse = () =>
      parseTimeEntryRows("harvest", [
        { line: 2, cells },
        { line: 3, cells },
      ]).rows.map((r) => r.identity);
    const [a, b] = parse();
    expect(a).not.toBe(b);
    expect(parse()).toEqual([a, b]);
  });
});
