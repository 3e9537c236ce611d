// The day's roll-forward of a workspace's open balances (src/db/schema/aging.ts): the line between
// "due before" and "not yet due" moves to the workspace's today, so that today's /aging reply reads
// no invoice. Run by every scheduler tick; once done for the day it changes nothing. The reply is
// exact whether it ran or not (it then reads the invoices due since the last roll). It also keeps
// the balances of the last 24 month-ends, the 15ths since and yesterday (one taken a tick until all are
// there), which /aging as of a past date starts from instead of the invoice history.
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { localToday } from "../domain/overdue.ts";
import { rollAgingBalances as rollBalances } from "./balances-repo.ts";
import { keepAgingMonthEnds } from "./month-end-repo.ts";
import { getAgingWorkspace } from "./repo.ts";

const RollInput = z.object({ workspaceId: z.uuid() });

/** How many balances moved (0 when already done today) and the kept day taken (month-end, 15th or yesterday), if any. */
export async function rollAgingBalances(
  deps: ServiceDeps,
  input: z.input<typeof RollInput>,
): Promise<{ rolled: number; today: string; monthEndTaken?: string }> {
  const { workspaceId } = RollInput.parse(input);
  const workspace = await getAgingWorkspace(deps.db, workspaceId);
  if (!workspace) {
    throw new DomainError("workspace.not_found", `workspace ${workspaceId} not found`, {
      userMessage: "This workspace is not set up in Cobro yet.",
    });
  }
  const today = localToday(deps.now(), workspace.timeZone);
  const rolled = await rollBalances(deps.db, workspaceId, today);
  const monthEndTaken = await keepAgingMonthEnds(deps.db, workspaceId, today);
  return { rolled, today, monthEndTaken };
}
