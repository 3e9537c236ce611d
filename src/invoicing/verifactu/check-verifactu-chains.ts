// The daily proof of the VERI*FACTU chains (Orden HAC/1177/2024 art. 7.h): claimed once per
// workspace and local day; each broken chain claims an alarm for the billing channel, again every
// day until the chain holds.

import { z } from "zod";
import type { ServiceDeps } from "../../context.ts";
import { claimDeliveries } from "../../delivery/index.ts";
import { localToday } from "../../domain/overdue.ts";
import { claimScheduledRun, finishScheduledRun, type WorkspaceRow } from "../../workspace/index.ts";
import { verifyVerifactuChains } from "./verify-verifactu-chains.ts";

export const VERIFACTU_CHAIN_CHECK_JOB = "verifactu-chain-check";
export const VERIFACTU_CHAIN_ALARM_PAYLOAD = "verifactu_chain_alarm";

export const VerifactuChainAlarmPayload = z.object({
  type: z.literal(VERIFACTU_CHAIN_ALARM_PAYLOAD),
  asOf: z.string(),
  issuerNif: z.string(),
  sequence: z.number(),
  seriesNumber: z.string(),
  kind: z.enum(["alta", "anulacion"]),
  problems: z.array(z.string()),
});
export type VerifactuChainAlarmPayload = z.output<typeof VerifactuChainAlarmPayload>;

export async function checkVerifactuChains(
  deps: ServiceDeps,
  input: { workspace: Pick<WorkspaceRow, "id" | "timeZone"> },
): Promise<{ ran: boolean; chains: number; broken: number }> {
  const { workspace } = input;
  const today = localToday(deps.now(), workspace.timeZone);
  const runId = await claimScheduledRun(deps.db, workspace.id, VERIFACTU_CHAIN_CHECK_JOB, today);
  if (!runId) return { ran: false, chains: 0, broken: 0 };
  const results = await verifyVerifactuChains(deps, { workspaceId: workspace.id });
  const alarms = results.flatMap((result) => {
    if (!result.broken) return [];
    const payload: VerifactuChainAlarmPayload = {
      type: VERIFACTU_CHAIN_ALARM_PAYLOAD,
      asOf: today,
      issuerNif: result.issuerNif,
      ...result.broken,
    };
    return [
      {
        workspaceId: workspace.id,
        kind: "slack_message" as const,
        dedupeKey: `verifactu-chain-alarm:${result.issuerNif}:${today}`,
        payload,
      },
    ];
  });
  const ids = await claimDeliveries(deps.db, alarms);
  if (ids.length > 0) await deps.enqueue(ids);
  await finishScheduledRun(deps.db, runId, { chains: results.length, broken: alarms.length });
  return { ran: true, chains: results.length, broken: alarms.length };
}
