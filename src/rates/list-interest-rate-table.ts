// `cobro rates list`: the late-interest reference rates as they stand.
import type { ServiceDeps } from "../context.ts";
import { listInterestRates } from "./repo.ts";

/** The table as it stands, newest half-year first (install-wide data: the deps, not a workspace ctx). */
export async function listInterestRateTable(deps: Pick<ServiceDeps, "db">, jurisdiction?: string) {
  const rows = await listInterestRates(deps.db, jurisdiction);
  return rows.sort(
    (a, b) => b.halfYearStart.localeCompare(a.halfYearStart) || a.jurisdiction.localeCompare(b.jurisdiction),
  );
}
