// Calendar dates ("YYYY-MM-DD") in the workspace's time zone: "today", day arithmetic, overdue.
import { daysBetween, toDayNumber } from "./calendar.ts";
import { DomainError } from "./errors.ts";

export function assertTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return timeZone;
  } catch {
    throw new DomainError("time_zone.invalid", `unknown time zone ${timeZone}`, {
      userMessage: `"${timeZone}" is not a time zone: use an IANA name such as Europe/Madrid.`,
    });
  }
}

/** Wall-clock date and hour of an instant in a time zone (DST handled by Intl, never by offsets). */
export function localDateTime(
  instant: Date,
  timeZone: string,
): { date: string; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: assertTimeZone(timeZone),
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    hour: Number(get("hour")),
    minute: Number(get("minute")),
  };
}

/** "Today" for a workspace: the calendar date at `instant` in its time zone. */
export function localToday(instant: Date, timeZone: string): string {
  return localDateTime(instant, timeZone).date;
}

/**
 * An invoice is overdue on `today` when it still has something open and its due date is past:
 * due "today" is not yet overdue (the client has the whole due day to pay).
 */
export function isOverdue(
  invoice: { dueDate: string | null; openMinor: number; status: string },
  today: string,
): boolean {
  if (!invoice.dueDate || invoice.openMinor <= 0) return false;
  if (!["issued", "partially_paid"].includes(invoice.status)) return false;
  return toDayNumber(invoice.dueDate) < toDayNumber(today);
}

export function daysPastDue(dueDate: string, today: string): number {
  return daysBetween(dueDate, today);
}

/** Whether the workspace's scan hour has been reached on its local day at `instant`. */
export function scanHourReached(instant: Date, timeZone: string, scanHour: number): boolean {
  return localDateTime(instant, timeZone).hour >= scanHour;
}

export const DEFAULT_SCAN_HOUR = 8;

export function resolveScanHour(setting: number | undefined): number {
  if (setting === undefined) return DEFAULT_SCAN_HOUR;
  if (!Number.isInteger(setting) || setting < 0 || setting > 23) {
    throw new DomainError("collections.scan_hour", `invalid overdue scan hour ${setting}`, {
      userMessage: "The overdue scan hour must be a whole hour between 0 and 23.",
    });
  }
  return setting;
}
