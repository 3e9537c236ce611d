// "12-month trend": the base-currency buckets at the last 12 month-ends as a chart in the asker's DM
// with Cobro (receivables are not for everyone), in the asker's language, once per report message
// (the click is claimed).
import type { SlackCtx } from "../context.ts";
import type { SlackActor } from "../domain/permissions.ts";
import type { Locale } from "../i18n/index.ts";
import { claimClick } from "../workspace/index.ts";
import type { AgingRequest } from "./build-aging-report.ts";
import { listAgingTrend } from "./list-aging-trend.ts";
import { agingTrendFile } from "./slack/aging-trend-chart.ts";

/** Permission: viewAging, checked by the report before anything is read or sent. */
export async function uploadAgingTrend(
  ctx: SlackCtx & { actor: SlackActor },
  input: { request: AgingRequest; clickKey: string; locale: Locale },
): Promise<{ alreadyDone: boolean }> {
  const click = await claimClick(ctx.db, input.clickKey);
  if (!click.claimed) return { alreadyDone: true };
  try {
    const trend = await listAgingTrend(ctx, input.request);
    await ctx.slack.sendFileToUser({ userId: ctx.actor.slackUserId, ...agingTrendFile(trend, input.locale) });
  } catch (error) {
    await click.release();
    throw error;
  }
  return { alreadyDone: false };
}
