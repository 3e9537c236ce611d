// The imports capability's public entry: what other parts of Cobro may use.

export type { BankLineReport } from "./import-bank-statement.ts";
export { importBankStatement } from "./import-bank-statement.ts";
export type { ImportProgress } from "./import-csv.ts";
export { importCsv } from "./import-csv.ts";
export { importTimeEntries } from "./import-time-entries.ts";
