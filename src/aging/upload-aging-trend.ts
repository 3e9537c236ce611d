// "12-month trend": the base-currency buckets at the last 12 month-ends as a chart in the asker's DM
// with Cobro (receivables are not for everyone), in the asker's language, once per report message
// (the click is claimed).
import type { SlackServiceDeps } from "../context.ts";
import type { Locale } from "../i18n/index.ts";
import { claimClick } from "../workspace/index.ts";
import type { AgingRequest } from "./build-aging-report.ts";
import { listAgingTrend } from "./list-aging-trend.ts";
import { agingTrendFile } from "./slack/aging-trend-chart.ts";

export async function uploadAgingTrend(
  deps: SlackServiceDeps,
  input: { request: AgingRequest; slackUserId: string; clickKey: string; locale: Locale },
): Promise<{ alreadyDone: boolean }> {
  const click = await claimClick(deps.db, input.clickKey);
  if (!click.claimed) return { alreadyDone: true };
  try {
    const trend = await listAgingTrend(deps, input.request);
    await deps.slack.sendFileToUser({ userId: input.slackUserId, ...agingTrendFile(trend, input.locale) });
  } catch (error) {
    await click.release();
    throw error;
  }
  return { alreadyDone: false };
}
