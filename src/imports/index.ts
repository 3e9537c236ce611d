// The imports capability's public entry: what other parts of Cobro may use.

export { bankReasonText } from "./bank-reason-text.ts";
export { confirmBankLine } from "./confirm-bank-line.ts";
export { dismissBankLine } from "./dismiss-bank-line.ts";
export type { BankLineReport } from "./import-bank-statement.ts";
export { BANK_SUGGESTION_PAYLOAD, importBankStatement } from "./import-bank-statement.ts";
export type { ImportProgress } from "./import-csv.ts";
export { importCsv } from "./import-csv.ts";
export { importTimeEntries } from "./import-time-entries.ts";
export { bankSlackHandlers } from "./jobs/slack-bank-suggestion.ts";
export { listWaitingBankLines } from "./list-waiting-bank-lines.ts";
export { bankLineConfirm, bankLineNotOurs } from "./slack/bank-card-handlers.ts";
export { BANK_ACTIONS, buildWaitingCreditsSection } from "./slack/bank-card-view.ts";
export { bankFileShared } from "./slack/bank-file-handlers.ts";
