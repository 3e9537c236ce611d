// "Export CSV": every client balance of the report, then the base-currency buckets at the last 12
// month-ends, as a CSV in the asker's DM with Cobro (not the channel: receivables are not for
// everyone), its header, title and comment in the asker's language, once per report message (the
// click is claimed).
import type { SlackCtx } from "../context.ts";
import { toAgingCsv, toAgingTrendCsvRows } from "../domain/aging.ts";
import type { SlackActor } from "../domain/permissions.ts";
import type { Locale } from "../i18n/index.ts";
import { claimClick } from "../workspace/index.ts";
import { type AgingRequest, buildAgingReport } from "./build-aging-report.ts";
import { listAgingTrend } from "./list-aging-trend.ts";
import { agingCsvTexts } from "./slack/aging-replies.ts";

/** Permission: viewAging, checked by the report before anything is read or sent. */
export async function exportAgingCsv(
  ctx: SlackCtx & { actor: SlackActor },
  input: { request: AgingRequest; clickKey: string; locale: Locale },
): Promise<{ alreadyDone: boolean }> {
  const click = await claimClick(ctx.db, input.clickKey);
  if (!click.claimed) return { alreadyDone: true };
  try {
    // The full report, not the summary: the CSV lists every client balance.
    const { report } = await buildAgingReport(ctx, input.request);
    // Then the base-currency buckets at the last 12 month-ends, in the same columns.
    const trend = await listAgingTrend(ctx, input.request);
    const texts = agingCsvTexts(report, input.locale);
    await ctx.slack.sendFileToUser({
      userId: ctx.actor.slackUserId,
      filename: `aging-${report.asOf}.csv`,
      title: texts.title,
      content: toAgingCsv(report, texts.header) + toAgingTrendCsvRows(trend.baseCurrency, trend.points),
      comment: texts.comment,
    });
  } catch (error) {
    await click.release();
    throw error;
  }
  return { alreadyDone: false };
}
