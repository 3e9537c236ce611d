// What `/aging` and its buttons show: the report (totals and the top debtors) and the collectors
// its filter menu offers (read from the repo at once: the workspace is the report's, checked there).
// Read-only; the actor's permission and scope are checked by the report.
import type { Ctx } from "../context.ts";
import { type AgingReportResult, type AgingRequest, buildAgingReport } from "./build-aging-report.ts";
import type { AgingFilterChoicesResult } from "./list-aging-filter-choices.ts";
import { listAgingFilterChoices } from "./repo.ts";

export type ShownAgingReport = { result: AgingReportResult; collectors: AgingFilterChoicesResult };

/** The collectors the report's menu lists (Slack's static select shows the first ones). */
const COLLECTOR_CHOICES = 10;

/** Permission: viewAging, checked by the report before any read of its own. */
export async function showAgingReport(
  ctx: Ctx,
  request: AgingRequest & { topDebtors: number },
): Promise<ShownAgingReport> {
  const [result, choices] = await Promise.all([
    buildAgingReport(ctx, request),
    listAgingFilterChoices(ctx.db, ctx.workspaceId, COLLECTOR_CHOICES),
  ]);
  return { result, collectors: { choices: choices.collectors, truncated: choices.collectorsTruncated } };
}
