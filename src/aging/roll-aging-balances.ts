// The day's roll-forward of a workspace's open balances (src/db/schema/aging.ts): the line between
// "due before" and "not yet due" moves to the workspace's today, so that today's /aging reply reads
// no invoice. Run by every scheduler tick; once done for the day it changes nothing. The reply is
// exact whether it ran or not (it then reads the invoices due since the last roll). It also keeps
// the balances of the last 24 month-ends, the 15ths since and yesterday (one taken a tick until all are
// there), which /aging as of a past date starts from instead of the invoice history.
import type { Ctx } from "../context.ts";
import { localToday } from "../domain/calendar.ts";
import { DomainError } from "../domain/errors.ts";
import { rollAgingBalances as rollBalances } from "./balances-repo.ts";
import { keepAgingMonthEnds } from "./month-end-repo.ts";
import { getAgingWorkspace } from "./repo.ts";

/**
 * How many balances moved (0 when already done today) and the kept day taken (month-end, 15th or
 * yesterday), if any. Scheduled upkeep of a read model (the system actor): it changes no figure
 * anyone sees, so asks no permission.
 */
export async function rollAgingBalances(
  ctx: Ctx,
  _input: Record<string, never> = {},
): Promise<{ rolled: number; today: string; monthEndTaken?: string }> {
  const { workspaceId } = ctx;
  const workspace = await getAgingWorkspace(ctx.db, workspaceId);
  if (!workspace) {
    throw new DomainError("workspace.not_found", `workspace ${workspaceId} not found`, {
      userMessage: "This workspace is not set up in Cobro yet.",
    });
  }
  const today = localToday(ctx.now(), workspace.timeZone);
  const rolled = await rollBalances(ctx.db, workspaceId, today);
  const monthEndTaken = await keepAgingMonthEnds(ctx.db, workspaceId, today);
  return { rolled, today, monthEndTaken };
}
