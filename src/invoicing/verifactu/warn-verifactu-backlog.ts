// Once a day while VERI*FACTU records are not sent or need correcting (or the certificate is
// about to lapse), a warning with their count goes to the billing channel: a claimed delivery,
// one per workspace and local day, so any number of instances post it once.

import type { ServiceDeps } from "../../context.ts";
import { claimDelivery } from "../../delivery/index.ts";
import { localToday } from "../../domain/overdue.ts";
import { verifactuWarnings } from "../../domain/verifactu-backlog.ts";
import { findWorkspaceById } from "../../workspace/index.ts";
import { loadVerifactuBacklog } from "./load-verifactu-backlog.ts";

export const VERIFACTU_WARNING_PAYLOAD = "verifactu_warning";

export async function warnVerifactuBacklog(
  deps: ServiceDeps,
  input: { workspaceId: string },
): Promise<{ claimed: boolean; warnings: string[] }> {
  const workspace = await findWorkspaceById(deps.db, input.workspaceId);
  if (!workspace?.billingChannelId) return { claimed: false, warnings: [] };
  const warnings = verifactuWarnings(await loadVerifactuBacklog(deps, input), deps.now());
  if (warnings.length === 0) return { claimed: false, warnings };
  const id = await claimDelivery(deps.db, {
    workspaceId: workspace.id,
    kind: "slack_message",
    dedupeKey: `verifactu-warning:${localToday(deps.now(), workspace.timeZone)}`,
    payload: { type: VERIFACTU_WARNING_PAYLOAD, channel: workspace.billingChannelId },
  });
  if (id) await deps.enqueue([id]);
  return { claimed: id !== null, warnings };
}
