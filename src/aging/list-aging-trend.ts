// The ageing trend: the base-currency bucket totals at each of the last 12 month-ends before the
// report's as-of date, each from the same report (so the same rules, rates of that month-end, and
// month-end balances when kept).
import type { Ctx } from "../context.ts";
import { monthEndsBefore } from "../domain/calendar.ts";
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

/** Permission: viewAging, checked by the first report before any read. */
export async function listAgingTrend(ctx: Ctx, request: AgingRequest): Promise<AgingTrend> {
  const { report, locale } = await buildAgingReport(ctx, { ...request, withMetrics: false, topDebtors: 1 });
  const points: AgingTrend["points"] = [];
  for (const monthEnd of monthEndsBefore(report.asOf, TREND_MONTHS)) {
    const { report: then } = await buildAgingReport(ctx, {
      ...request,
      asOf: monthEnd,
      withMetrics: false,
      topDebtors: 1,
    });
    points.push({ monthEnd, buckets: then.base.buckets, total: then.base.total });
  }
  return { baseCurrency: report.baseCurrency, locale, buckets: report.buckets, points };
}
