// `cobro rates list`: the late-interest reference rates as they stand.
import type { Ctx } from "../context.ts";
import { listInterestRates } from "./repo.ts";

/** The table as it stands, newest half-year first (install-wide data: `ctx.workspaceId` is not read). */
export async function listInterestRateTable(ctx: Ctx, input: { jurisdiction?: string | undefined } = {}) {
  const rows = await listInterestRates(ctx.db, input.jurisdiction);
  return rows.sort(
    (a, b) => b.halfYearStart.localeCompare(a.halfYearStart) || a.jurisdiction.localeCompare(b.jurisdiction),
  );
}
