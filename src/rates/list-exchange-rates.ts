// `cobro rates fx list`: the latest stored rate of each currency to the workspace's base currency.

import type { Ctx } from "../context.ts";
import type { StoredRate } from "../domain/aging.ts";
import { localToday } from "../domain/overdue.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import { listClosingRates } from "./repo.ts";

export async function listExchangeRates(
  ctx: Ctx,
  input: { asOf?: string | undefined },
): Promise<{ baseCurrency: string; asOf: string; rates: StoredRate[] }> {
  const workspace = await findWorkspaceById(ctx.db, ctx.workspaceId);
  const baseCurrency = (workspace?.baseCurrency ?? "EUR").trim();
  const asOf = input.asOf ?? localToday(ctx.now(), workspace?.timeZone ?? "UTC");
  return {
    baseCurrency,
    asOf,
    rates: await listClosingRates(ctx.db, ctx.workspaceId, baseCurrency, asOf),
  };
}
