// Time-and-materials invoice lines from approved entries: minutes × hourly rate, exact in minor
// units, rounded once per line (never per entry). The quantity is in hours when thousandths of
// an hour hold it exactly (multiples of 3 minutes), else in minutes at a price per 60 minutes
// (EN 16931 price base quantity), so the printed quantity × price always gives the line net.
import { DomainError } from "./errors.ts";
import { divideRounded, toSafeNumber } from "./money.ts";

export type BillableEntry = {
  id: string;
  personEmail: string;
  personName: string | null;
  task: string | null;
  workDate: string;
  minutes: number;
  /** The person's rate on the project, else the project's hourly rate; null when neither is set. */
  hourlyRateMinor: number | null;
};

export type TimeLineGrouping = "person" | "task";

export type TimeLine = {
  description: string;
  minutes: number;
  quantityMilli: number;
  unitCode: "HUR" | "MIN";
  unitPriceMinor: number;
  priceBaseQuantityMilli: number;
  netMinor: number;
  periodStart: string;
  periodEnd: string;
  entryIds: string[];
};

/** Net of a duration at an hourly rate: minutes × rate / 60 rounded once (half up). */
export function timeNetMinor(minutes: number, hourlyRateMinor: number): number {
  return toSafeNumber(divideRounded(BigInt(minutes) * BigInt(hourlyRateMinor), 60n));
}

/** A duration as an invoice quantity: exact hours (HUR) when possible, else minutes (MIN). */
export function timeQuantity(
  minutes: number,
): Pick<TimeLine, "quantityMilli" | "unitCode" | "priceBaseQuantityMilli"> {
  if ((minutes * 1000) % 60 === 0) {
    return { quantityMilli: (minutes * 1000) / 60, unitCode: "HUR", priceBaseQuantityMilli: 1000 };
  }
  return { quantityMilli: minutes * 1000, unitCode: "MIN", priceBaseQuantityMilli: 60_000 };
}

export function formatHours(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, "0")}`;
}

export function buildTimeLines(
  entries: readonly BillableEntry[],
  groupBy: TimeLineGrouping = "person",
): TimeLine[] {
  const groups = new Map<string, { label: string; rate: number; entries: BillableEntry[] }>();
  for (const entry of entries) {
    if (entry.hourlyRateMinor === null) {
      throw new DomainError("timesheet.no_rate", `no hourly rate for ${entry.personEmail}`, {
        userMessage: `No hourly rate for ${entry.personName ?? entry.personEmail} on this project: set the project's hourly rate or the person's rate.`,
      });
    }
    const who = entry.personName ?? entry.personEmail;
    const label = groupBy === "person" ? who : (entry.task ?? "Time");
    // A task billed by people with different rates becomes one line per rate.
    const key = `${groupBy === "person" ? entry.personEmail : label.toLowerCase()}\u0000${entry.hourlyRateMinor}`;
    const group = groups.get(key) ?? { label, rate: entry.hourlyRateMinor, entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  }
  const lines: TimeLine[] = [];
  for (const group of groups.values()) {
    const minutes = group.entries.reduce((sum, e) => sum + e.minutes, 0);
    const dates = group.entries.map((e) => e.workDate).sort();
    const periodStart = dates[0] ?? "";
    const periodEnd = dates[dates.length - 1] ?? "";
    lines.push({
      description: `${group.label}: ${formatHours(minutes)} (${periodStart} – ${periodEnd})`,
      minutes,
      ...timeQuantity(minutes),
      unitPriceMinor: group.rate,
      netMinor: timeNetMinor(minutes, group.rate),
      periodStart,
      periodEnd,
      entryIds: group.entries.map((e) => e.id),
    });
  }
  return lines.sort((a, b) => a.description.localeCompare(b.description));
}
