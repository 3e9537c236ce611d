// What `/aging` and its buttons show: the report (totals and the top debtors) and the collectors
// its filter menu offers. Read-only; the actor's permission and scope are checked by the report.
import type { ServiceDeps } from "../context.ts";
import { type AgingReportResult, type AgingRequest, buildAgingReport } from "./build-aging-report.ts";
import { type AgingFilterChoicesResult, listAgingFilterChoices } from "./list-aging-filter-choices.ts";

export type ShownAgingReport = { result: AgingReportResult; collectors: AgingFilterChoicesResult };

export async function showAgingReport(
  deps: ServiceDeps,
  request: AgingRequest & { topDebtors: number },
): Promise<ShownAgingReport> {
  const [result, collectors] = await Promise.all([
    buildAgingReport(deps, request),
    listAgingFilterChoices(deps, { workspaceId: request.workspaceId, kind: "collector", limit: 10 }),
  ]);
  return { result, collectors };
}
