// The aging capability's public entry: what other parts of Cobro may use.
export { buildAgingReport } from "./build-aging-report.ts";
export { rollAgingBalances } from "./roll-aging-balances.ts";
export {
  agingDebtorMenu,
  agingExportCsv,
  agingInvoiceMenu,
  agingShare,
  agingStatement,
  agingTrend,
} from "./slack/aging-action-handlers.ts";
export { buildAgingHomeSection } from "./slack/aging-report.ts";
export {
  agingCommand,
  agingDrill,
  agingFilter,
  agingFilterOptions,
  agingSummary,
} from "./slack/aging-report-handlers.ts";
export { agingStatementCancel, agingStatementPreview } from "./slack/statement-handlers.ts";
