import { describe, expect, it } from "vitest";
import { addDays } from "../../src/domain/calendar.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { isOverdue, localDateTime, localToday, resolveScanHour } from "../../src/domain/overdue.ts";

const invoice = { dueDate: "2026-03-28", openMinor: 1000, status: "issued" };

describe("today in the workspace time zone", () => {
  it("an invoice due on the 28th is overdue in Madrid at 00:30 local on the 29th but not yet in UTC", () => {
    const instant = new Date("2026-03-28T23:30:00Z"); // 00:30 on the 29th in Madrid (CET, +1)
    expect(localToday(instant, "Europe/Madrid")).toBe("2026-03-29");
    expect(localToday(instant, "UTC")).toBe("2026-03-28");
    expect(isOverdue(invoice, localToday(instant, "Europe/Madrid"))).toBe(true);
    expect(isOverdue(invoice, localToday(instant, "UTC"))).toBe(false);
  });

  it("is not overdue on its due day, nor when nothing is open or it is not issued", () => {
    expect(isOverdue(invoice, "2026-03-28")).toBe(false);
    expect(isOverdue({ ...invoice, openMinor: 0 }, "2026-04-10")).toBe(false);
    expect(isOverdue({ ...invoice, status: "draft" }, "2026-04-10")).toBe(false);
    expect(isOverdue({ ...invoice, status: "partially_paid" }, "2026-04-10")).toBe(true);
  });

  it("handles the spring-forward day (Madrid 29 March 2026: 02:00 → 03:00)", () => {
    // 00:59 UTC = 01:59 CET; 01:00 UTC = 03:00 CEST: the local hour jumps, the date does not.
    expect(localDateTime(new Date("2026-03-29T00:59:00Z"), "Europe/Madrid")).toEqual({
      date: "2026-03-29",
      hour: 1,
      minute: 59,
    });
    expect(localDateTime(new Date("2026-03-29T01:00:00Z"), "Europe/Madrid").hour).toBe(3);
    // 08:00 local is 06:00 UTC in summer, 07:00 UTC in winter
    expect(localDateTime(new Date("2026-03-29T06:00:00Z"), "Europe/Madrid").hour).toBe(8);
    expect(localDateTime(new Date("2026-03-28T07:00:00Z"), "Europe/Madrid").hour).toBe(8);
  });

  it("handles the fall-back day (Madrid 25 October 2026: 03:00 → 02:00) and the midnight edge", () => {
    expect(localDateTime(new Date("2026-10-25T00:30:00Z"), "Europe/Madrid").hour).toBe(2);
    expect(localDateTime(new Date("2026-10-25T01:30:00Z"), "Europe/Madrid").hour).toBe(2);
    // After fall-back Madrid is UTC+1: 22:30 UTC is still the 25th; the evening before (UTC+2) it was the 25th.
    expect(localToday(new Date("2026-10-25T22:30:00Z"), "Europe/Madrid")).toBe("2026-10-25");
    expect(localToday(new Date("2026-10-24T22:30:00Z"), "Europe/Madrid")).toBe("2026-10-25");
  });

  it("does date arithmetic on calendar days across DST and leap years", () => {
    expect(addDays("2026-03-28", 1)).toBe("2026-03-29");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
  });

  it("validates the scan hour and the time zone", () => {
    expect(resolveScanHour(undefined)).toBe(8);
    expect(resolveScanHour(6)).toBe(6);
    expect(() => resolveScanHour(24)).toThrow(DomainError);
    expect(() => localToday(new Date(), "Mars/Olympus")).toThrow(DomainError);
  });
});
