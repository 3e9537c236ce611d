// The aging capability's public entry: what other parts of Cobro may use.
export { buildAgingReport } from "./build-aging-report.ts";
export { rollAgingBalances } from "./roll-aging-balances.ts";
export { registerAgingListeners } from "./slack/aging.ts";
export { buildAgingHomeSection } from "./slack/aging-report.ts";
