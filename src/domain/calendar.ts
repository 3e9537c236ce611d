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

/** How a date with the day and month before the year is read: 14/06/2026 day first, 6/14/2026 month first. */
export type DateOrder = "day-first" | "month-first";

/** A date read from a file: the calendar date, or why not ("order_needed": 14/06/2026 read without an order). */
export type DateReading =
  | { ok: true; date: string }
  | { ok: false; why: "not_date" | "order_needed" }
  | { ok: false; why: "no_such_day"; readAs: "YYYY-MM-DD" | "DD/MM/YYYY" | "MM/DD/YYYY" };

const LOOSE_ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const DAY_MONTH_YEAR = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/;

function calendarDateOf(
  [year, month, day]: [number, number, number],
  readAs: "YYYY-MM-DD" | "DD/MM/YYYY" | "MM/DD/YYYY",
): DateReading {
  const date = `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return isCalendarDate(date) ? { ok: true, date } : { ok: false, why: "no_such_day", readAs };
}

/**
 * A date as spreadsheets and accounting software export it: 2026-03-31 (or 2026-3-31) always; with an
 * order, also 31/03/2026, 31-03-2026 or 31.03.2026 (1- or 2-digit day and month). Dotted dates are
 * day first in either order (nobody writes 3.31.2026). One reader for every import of a file.
 */
export function readWrittenDate(input: string, order?: DateOrder): DateReading {
  const text = input.trim();
  const iso = LOOSE_ISO.exec(text);
  if (iso) return calendarDateOf([Number(iso[1]), Number(iso[2]), Number(iso[3])], "YYYY-MM-DD");
  const parts = DAY_MONTH_YEAR.exec(text);
  if (!parts) return { ok: false, why: "not_date" };
  if (!order) return { ok: false, why: "order_needed" };
  const [first, second, year] = [Number(parts[1]), Number(parts[3]), Number(parts[4])];
  return order === "day-first" || parts[2] === "."
    ? calendarDateOf([year, second, first], "DD/MM/YYYY")
    : calendarDateOf([year, first, second], "MM/DD/YYYY");
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
