// "Send reminder now" asked in Slack (alert button, `/aging` menu): the actor must collect.
import type { ServiceDeps } from "../context.ts";
import { type Actor, auditActorOf } from "../domain/permissions.ts";
import { authorizeCollectionAction } from "./authorize-collection-action.ts";
import { sendReminderNow } from "./send-reminder-now.ts";

export async function remindInvoiceNow(
  deps: ServiceDeps,
  input: { workspaceId: string; invoiceId: string; actor: Actor },
): Promise<{ alreadyDone: boolean; level: number }> {
  await authorizeCollectionAction(deps, { ...input, kind: "collect" });
  return sendReminderNow(deps, {
    workspaceId: input.workspaceId,
    invoiceId: input.invoiceId,
    actor: auditActorOf(input.actor),
  });
}
