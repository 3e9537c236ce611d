// Overdue: when an invoice is past due, and the workspace's daily scan hour. "Today" in the
// workspace's time zone lives with the other calendar dates (calendar.ts), re-exported here.
import { localDateTime, toDayNumber } from "./calendar.ts";
import { DomainError } from "./errors.ts";

export { assertTimeZone, localDateTime, localToday } from "./calendar.ts";

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
      messageKey: "collections.error.scan_hour",
    });
  }
  return setting;
}
