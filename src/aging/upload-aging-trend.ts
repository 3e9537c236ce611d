// "12-month trend": the base-currency buckets at the last 12 month-ends as a chart in the asker's DM
// with Cobro (receivables are not for everyone), once per report message (the click is claimed).
import type { SlackServiceDeps } from "../context.ts";
import { formatMoney } from "../domain/money.ts";
import { claimClick } from "../workspace/index.ts";
import type { AgingRequest } from "./build-aging-report.ts";
import { listAgingTrend } from "./list-aging-trend.ts";
import { renderAgingTrendPng } from "./slack/aging-trend-chart.ts";

export async function uploadAgingTrend(
  deps: SlackServiceDeps,
  input: { request: AgingRequest; slackUserId: string; clickKey: string },
): Promise<{ alreadyDone: boolean }> {
  const click = await claimClick(deps.db, input.clickKey);
  if (!click.claimed) return { alreadyDone: true };
  try {
    const trend = await listAgingTrend(deps, input.request);
    const first = trend.points[0]?.monthEnd ?? "";
    const last = trend.points.at(-1);
    const title = `Aged receivables at month-end, ${first} to ${last?.monthEnd ?? ""} (${trend.baseCurrency})`;
    // The figures in words beside the image, for screen readers and notifications.
    const words = last
      ? `${last.monthEnd}: ${trend.buckets
          .map(
            (b, i) =>
              `${b} ${formatMoney({ amountMinor: last.buckets[i] ?? 0, currency: trend.baseCurrency }, trend.locale)}`,
          )
          .join(", ")}`
      : "";
    await deps.slack.sendFileToUser({
      userId: input.slackUserId,
      filename: `aging-trend-${last?.monthEnd ?? "none"}.png`,
      title,
      content: renderAgingTrendPng(trend, title),
      comment: `${title}. ${words}`,
    });
  } catch (error) {
    await click.release();
    throw error;
  }
  return { alreadyDone: false };
}
