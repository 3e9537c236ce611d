// The daily ECB fetches of one workspace (its exchange rates, and the shared late-interest table from
// the MRO rate), claimed once per workspace and local day in scheduled_runs like the other daily jobs.
// Neither fetch throws for an outage or a bad file: each logs a warning and stores nothing.

import type { EcbSources } from "../config.ts";
import type { Ctx } from "../context.ts";
import { localToday } from "../domain/overdue.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { claimScheduledRun, findWorkspaceById, finishScheduledRun } from "../workspace/index.ts";
import { type FetchEcbFxResult, fetchEcbFxRates } from "./fetch-ecb-fx-rates.ts";
import { type FetchEcbMroResult, fetchEcbMro } from "./fetch-ecb-mro.ts";

export const ECB_RATES_JOB = "ecb-rates";

export type RefreshEcbRatesResult =
  | { ran: false }
  | { ran: true; fx: FetchEcbFxResult; mro: FetchEcbMroResult };

export async function refreshEcbRates(
  ctx: Ctx,
  input: { sources: EcbSources; claimRun?: boolean },
): Promise<RefreshEcbRatesResult> {
  assertAllowed(ctx.actor, { action: "configure" });
  const workspace = await findWorkspaceById(ctx.db, ctx.workspaceId);
  if (!workspace) return { ran: false };
  const today = localToday(ctx.now(), workspace.timeZone);
  const runId = input.claimRun ? await claimScheduledRun(ctx.db, workspace.id, ECB_RATES_JOB, today) : null;
  if (input.claimRun && !runId) return { ran: false };
  const fx = await fetchEcbFxRates(ctx, { url: input.sources.fxUrl });
  const mro = await fetchEcbMro(ctx, { url: input.sources.mroUrl, today });
  if (runId) await finishScheduledRun(ctx.db, runId, { fx, mro });
  return { ran: true, fx, mro };
}
