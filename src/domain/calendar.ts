// Calendar dates ("YYYY-MM-DD"): validation, day arithmetic and "today" in a time zone, the one place for them.
import { DomainError } from "./errors.ts";

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01; refuses impossible dates such as 2026-02-30. */
export function toDayNumber(date: string): number {
  const match = DATE_PATTERN.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new DomainError("date.invalid", `"${date}" is not a calendar date`, {
      userMessage: `"${date}" is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31.`,
      field: "date",
    });
  }
  return ms / DAY_MS;
}

export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function isCalendarDate(value: string): boolean {
  try {
    toDayNumber(value);
    return true;
  } catch {
    return false;
  }
}

/** The last day of each of the `months` months before the one of `asOf`, oldest first. */
export function monthEndsBefore(asOf: string, months: number): string[] {
  const year = Number(asOf.slice(0, 4));
  const month = Number(asOf.slice(5, 7)) - 1;
  return Array.from({ length: months }, (_, k) =>
    new Date(Date.UTC(year, month - months + k + 1, 0)).toISOString().slice(0, 10),
  );
}

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

/**
 * The wall clock of an instant in a time zone, two digits a field (DST handled by Intl, never by
 * offsets), and the zone's offset then ("+01:00"; "+00:00" for UTC).
 */
export function wallClock(
  instant: Date,
  timeZone: string,
): Record<"year" | "month" | "day" | "hour" | "minute" | "second" | "offset", string> {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZoneName: "longOffset",
  }).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "00";
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour"),
    minute: get("minute"),
    second: get("second"),
    offset: get("timeZoneName").replace("GMT", "") || "+00:00",
  };
}

/** Wall-clock date and hour of an instant in a time zone. */
export function localDateTime(
  instant: Date,
  timeZone: string,
): { date: string; hour: number; minute: number } {
  const at = wallClock(instant, assertTimeZone(timeZone));
  return { date: `${at.year}-${at.month}-${at.day}`, hour: Number(at.hour), minute: Number(at.minute) };
}

/** "Today" for a workspace: the calendar date at `instant` in its time zone. */
export function localToday(instant: Date, timeZone: string): string {
  return localDateTime(instant, timeZone).date;
}

/** 2026-11-23 → "23/11/2026", as invoices and their e-mails print dates: fr, es and en-GB read the day first. */
export function formatDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-");
  return `${d}/${m}/${y}`;
}
