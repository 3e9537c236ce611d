// **Hold** from Slack: only billing parks a draft (it stays unnumbered); a second click changes nothing.
import type { ServiceDeps } from "../context.ts";
import { assertAllowed, type SlackActor } from "../domain/permissions.ts";
import { holdInvoice } from "./hold-invoice.ts";

export async function holdDraftInvoice(
  deps: ServiceDeps,
  input: { workspaceId: string; invoiceId: string; actor: SlackActor },
): Promise<{ alreadyDone: boolean }> {
  assertAllowed(input.actor, { action: "holdInvoice" });
  const result = await holdInvoice(deps, {
    workspaceId: input.workspaceId,
    invoiceId: input.invoiceId,
    actor: input.actor.memberId ?? `slack:${input.actor.slackUserId}`,
    hold: true,
  });
  return { alreadyDone: result.alreadyDone };
}
