// Timesheet periods (ISO week by default, or calendar month) on calendar dates "YYYY-MM-DD".
// Dates are treated as calendar days (UTC arithmetic), never as instants, so DST cannot shift them.
import { addDays, fromDayNumber, toDayNumber } from "./calendar.ts";

export const PERIOD_KINDS = ["week", "month"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export type Period = { start: string; end: string };

const DAY_MS = 86_400_000;

const toUtc = (date: string): Date => new Date(toDayNumber(date) * DAY_MS);

/** 1 = Monday … 7 = Sunday (ISO 8601). */
export function isoWeekday(date: string): number {
  return ((toUtc(date).getUTCDay() + 6) % 7) + 1;
}

export function weekStart(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** ISO 8601 week number and its year ("2026-W01" can start in December 2025). */
export function isoWeek(date: string): { year: number; week: number } {
  const thursday = toUtc(addDays(date, 4 - isoWeekday(date)));
  const year = thursday.getUTCFullYear();
  const firstThursday = toUtc(addDays(`${year}-01-04`, 4 - isoWeekday(`${year}-01-04`)));
  const week = 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / (7 * DAY_MS));
  return { year, week };
}

export function isoWeekLabel(date: string): string {
  const { year, week } = isoWeek(date);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export function periodFor(date: string, kind: PeriodKind = "week"): Period {
  if (kind === "week") {
    const start = weekStart(date);
    return { start, end: addDays(start, 6) };
  }
  const value = toUtc(date);
  const start = fromDayNumber(Date.UTC(value.getUTCFullYear(), value.getUTCMonth(), 1) / DAY_MS);
  const end = fromDayNumber(Date.UTC(value.getUTCFullYear(), value.getUTCMonth() + 1, 0) / DAY_MS);
  return { start, end };
}

/** Every day of a period, first to last. */
export function daysOf(period: Period): string[] {
  const days: string[] = [];
  for (let day = period.start; day <= period.end; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The previous complete month of a date: what a monthly billing cycle on that date bills. */
export function previousMonth(date: string): Period {
  const start = periodFor(date, "month").start;
  return periodFor(addDays(start, -1), "month");
}

/**
 * Weekly billing bills a rotating slice of clients: a client belongs to slice hash(id) mod N and
 * is billed in the ISO weeks whose number mod N matches, so each client is billed about monthly.
 */
export function billingSliceOf(clientId: string, slices: number): number {
  let hash = 0;
  for (let i = 0; i < clientId.length; i++) hash = (hash * 31 + clientId.charCodeAt(i)) >>> 0;
  return hash % slices;
}

export function weekSlice(date: string, slices: number): number {
  return isoWeek(date).week % slices;
}

/**
 * The date that names a billing run: the first of the month (monthly) or the Monday (weekly).
 * Claiming a run by this date makes it happen once per period, on the first scheduler tick on or
 * after the period starts, even if no instance was up on the day itself.
 */
export function billingRunDate(today: string, cadence: "monthly" | "weekly"): string {
  return cadence === "monthly" ? `${today.slice(0, 7)}-01` : weekStart(today);
}
