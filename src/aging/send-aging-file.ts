// "Export CSV" and "12-month trend": a file of the report in the asker's DM with Cobro (not the
// channel: receivables are not for everyone), its texts in the asker's language, once per report
// message (the click is claimed; released when the upload fails, so a second click can try again).
// The CSV holds every client balance, then the base-currency buckets at the last 12 month-ends in
// the same columns; the trend is those month-ends as a chart.
import type { SlackCtx, SlackPort } from "../context.ts";
import { toAgingCsv, toAgingTrendCsvRows } from "../domain/aging.ts";
import { present } from "../domain/errors.ts";
import type { Locale } from "../i18n/index.ts";
import { claimClick } from "../workspace/index.ts";
import { type AgingRequest, buildAgingReport } from "./build-aging-report.ts";
import { listAgingTrend } from "./list-aging-trend.ts";
import { agingCsvTexts } from "./slack/aging-replies.ts";

type AgingFile = Omit<Parameters<SlackPort["sendFileToUser"]>[0], "userId">;

/** Permission: viewAging, checked by the report (or the trend) before anything is read or sent. */
export async function sendAgingFile(
  ctx: SlackCtx,
  input: { file: "export" | "trend"; request: AgingRequest; clickKey: string; locale: Locale },
): Promise<{ alreadyDone: boolean }> {
  const userId = present("slackUserId" in ctx.actor ? ctx.actor.slackUserId : null, "the asker's Slack id");
  const click = await claimClick(ctx.db, input.clickKey);
  if (!click.claimed) return { alreadyDone: true };
  try {
    const file = input.file === "export" ? await csvFile(ctx, input) : await trendFile(ctx, input);
    await ctx.slack.sendFileToUser({ userId, ...file });
  } catch (error) {
    await click.release();
    throw error;
  }
  return { alreadyDone: false };
}

async function csvFile(ctx: SlackCtx, input: { request: AgingRequest; locale: Locale }): Promise<AgingFile> {
  // The full report, not the summary: the CSV lists every client balance.
  const { report } = await buildAgingReport(ctx, input.request);
  const trend = await listAgingTrend(ctx, input.request);
  const texts = agingCsvTexts(report, input.locale);
  return {
    filename: `aging-${report.asOf}.csv`,
    title: texts.title,
    content: toAgingCsv(report, texts.header) + toAgingTrendCsvRows(trend.baseCurrency, trend.points),
    comment: texts.comment,
  };
}

async function trendFile(
  ctx: SlackCtx,
  input: { request: AgingRequest; locale: Locale },
): Promise<AgingFile> {
  // Loaded on the first chart: Skia and Chart.js cost every server ~20 MB and two threads otherwise.
  const { agingTrendFile } = await import("./slack/aging-trend-chart.ts");
  return agingTrendFile(await listAgingTrend(ctx, input.request), input.locale);
}
