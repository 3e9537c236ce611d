// The ageing trend: the base-currency bucket totals at each of the last 12 month-ends before the
// report's as-of date, each from the same report (so the same rules, rates of that month-end, and
// month-end balances when kept).
import type { ServiceDeps } from "../context.ts";
import { type AgingRequest, buildAgingReport } from "./build-aging-report.ts";

export const TREND_MONTHS = 12;

export type AgingTrend = {
  baseCurrency: string;
  /** The workspace's locale, for the amounts. */
  locale: string;
  buckets: string[];
  /** Oldest first. */
  points: { monthEnd: string; buckets: number[]; total: number }[];
};

/** The last day of each of the `months` months before the one of `asOf`, oldest first. */
export function monthEndsBefore(asOf: string, months: number): string[] {
  const year = Number(asOf.slice(0, 4));
  const month = Number(asOf.slice(5, 7)) - 1;
  return Array.from({ length: months }, (_, k) =>
    new Date(Date.UTC(year, month - months + k + 1, 0)).toISOString().slice(0, 10),
  );
}

export async function listAgingTrend(deps: ServiceDeps, request: AgingRequest): Promise<AgingTrend> {
  const { report, locale } = await buildAgingReport(deps, { ...request, withMetrics: false, topDebtors: 1 });
  const points: AgingTrend["points"] = [];
  for (const monthEnd of monthEndsBefore(report.asOf, TREND_MONTHS)) {
    const { report: then } = await buildAgingReport(deps, {
      ...request,
      asOf: monthEnd,
      withMetrics: false,
      topDebtors: 1,
    });
    points.push({ monthEnd, buckets: then.base.buckets, total: then.base.total });
  }
  return { baseCurrency: report.baseCurrency, locale, buckets: report.buckets, points };
}
