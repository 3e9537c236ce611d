// The rates capability's public entry: what other parts of Cobro may use.
export { importFxRates } from "./import-fx-rates.ts";
export { importInterestRates } from "./import-interest-rates.ts";
export { listExchangeRates } from "./list-exchange-rates.ts";
export { listInterestRateTable } from "./list-interest-rate-table.ts";
export { refreshEcbRates } from "./refresh-ecb-rates.ts";
export { listClosingRates, listInterestRates } from "./repo.ts";
