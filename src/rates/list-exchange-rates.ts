// `cobro rates fx list`: the latest stored rate of each currency to the workspace's base currency.

import type { ServiceDeps } from "../context.ts";
import type { StoredRate } from "../domain/aging.ts";
import { localToday } from "../domain/overdue.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import { listClosingRates } from "./repo.ts";

export async function listExchangeRates(
  deps: Pick<ServiceDeps, "db" | "now">,
  input: { workspaceId: string; asOf?: string | undefined },
): Promise<{ baseCurrency: string; asOf: string; rates: StoredRate[] }> {
  const workspace = await findWorkspaceById(deps.db, input.workspaceId);
  const baseCurrency = (workspace?.baseCurrency ?? "EUR").trim();
  const asOf = input.asOf ?? localToday(deps.now(), workspace?.timeZone ?? "UTC");
  return {
    baseCurrency,
    asOf,
    rates: await listClosingRates(deps.db, input.workspaceId, baseCurrency, asOf),
  };
}
