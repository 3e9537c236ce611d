// The daily ECB fetches of one workspace (its exchange rates, and the shared late-interest table from
// the MRO rate), claimed once per workspace and local day in scheduled_runs like the other daily jobs.
// Neither fetch throws for an outage or a bad file: each logs a warning and stores nothing.

import type { EcbSources } from "../config.ts";
import type { ServiceDeps } from "../context.ts";
import { localToday } from "../domain/overdue.ts";
import { claimScheduledRun, findWorkspaceById, finishScheduledRun } from "../workspace/index.ts";
import { type FetchEcbFxResult, fetchEcbFxRates } from "./fetch-ecb-fx-rates.ts";
import { type FetchEcbMroResult, fetchEcbMro } from "./fetch-ecb-mro.ts";

export const ECB_RATES_JOB = "ecb-rates";

export type RefreshEcbRatesResult =
  | { ran: false }
  | { ran: true; fx: FetchEcbFxResult; mro: FetchEcbMroResult };

export async function refreshEcbRates(
  deps: ServiceDeps,
  input: { workspaceId: string; sources: EcbSources; claimRun?: boolean },
): Promise<RefreshEcbRatesResult> {
  const workspace = await findWorkspaceById(deps.db, input.workspaceId);
  if (!workspace) return { ran: false };
  const today = localToday(deps.now(), workspace.timeZone);
  const runId = input.claimRun ? await claimScheduledRun(deps.db, workspace.id, ECB_RATES_JOB, today) : null;
  if (input.claimRun && !runId) return { ran: false };
  const fx = await fetchEcbFxRates(deps, { url: input.sources.fxUrl, workspaceId: workspace.id });
  const mro = await fetchEcbMro(deps, { url: input.sources.mroUrl, today });
  if (runId) await finishScheduledRun(deps.db, runId, { fx, mro });
  return { ran: true, fx, mro };
}
