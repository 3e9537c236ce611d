// "Export CSV": every client balance of the report, then the base-currency buckets at the last 12
// month-ends, as a CSV in the asker's DM with Cobro (not the
// channel: receivables are not for everyone), once per report message (the click is claimed).
import type { SlackServiceDeps } from "../context.ts";
import { toAgingCsv, toAgingTrendCsvRows } from "../domain/aging.ts";
import { claimClick } from "../workspace/index.ts";
import { type AgingRequest, buildAgingReport } from "./build-aging-report.ts";
import { listAgingTrend } from "./list-aging-trend.ts";

export async function exportAgingCsv(
  deps: SlackServiceDeps,
  input: { request: AgingRequest; slackUserId: string; clickKey: string },
): Promise<{ alreadyDone: boolean }> {
  const click = await claimClick(deps.db, input.clickKey);
  if (!click.claimed) return { alreadyDone: true };
  try {
    // The full report, not the summary: the CSV lists every client balance.
    const { report } = await buildAgingReport(deps, input.request);
    // Then the base-currency buckets at the last 12 month-ends, in the same columns.
    const trend = await listAgingTrend(deps, input.request);
    await deps.slack.sendFileToUser({
      userId: input.slackUserId,
      filename: `aging-${report.asOf}.csv`,
      title: `Aged receivables as of ${report.asOf}`,
      content: toAgingCsv(report) + toAgingTrendCsvRows(trend.baseCurrency, trend.points),
      comment: `Aged receivables as of ${report.asOf} (${report.clients.length} client balances).`,
    });
  } catch (error) {
    await click.release();
    throw error;
  }
  return { alreadyDone: false };
}
