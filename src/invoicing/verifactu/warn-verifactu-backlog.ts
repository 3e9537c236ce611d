// Once a day while VERI*FACTU records are not sent or need correcting (or the certificate is
// about to lapse), a warning with their count goes to the billing channel: a claimed delivery,
// one per workspace and local day, so any number of instances post it once.

import type { Ctx } from "../../context.ts";
import { claimDelivery } from "../../delivery/index.ts";
import { localToday } from "../../domain/overdue.ts";
import { verifactuWarnings } from "../../domain/verifactu-backlog.ts";
import { findWorkspaceById } from "../../workspace/index.ts";
import { loadVerifactuBacklog } from "./backlog-repo.ts";

export const VERIFACTU_WARNING_PAYLOAD = "verifactu_warning";

/** The scheduler calls it; anyone may (no permission check): it only claims the day's warning once. */
export async function warnVerifactuBacklog(
  ctx: Ctx,
  _input: Record<string, never>,
): Promise<{ claimed: boolean; warnings: string[] }> {
  const { workspaceId } = ctx;
  const workspace = await findWorkspaceById(ctx.db, workspaceId);
  if (!workspace?.billingChannelId) return { claimed: false, warnings: [] };
  const warnings = verifactuWarnings(await loadVerifactuBacklog(ctx.db, workspaceId), ctx.now());
  if (warnings.length === 0) return { claimed: false, warnings };
  const id = await claimDelivery(ctx.db, {
    workspaceId: workspace.id,
    kind: "slack_message",
    dedupeKey: `verifactu-warning:${localToday(ctx.now(), workspace.timeZone)}`,
    payload: { type: VERIFACTU_WARNING_PAYLOAD, channel: workspace.billingChannelId },
  });
  if (id) await ctx.enqueue([id]);
  return { claimed: id !== null, warnings };
}
