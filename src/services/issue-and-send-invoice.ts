// **Issue & send**: only billing (or the workspace's auto-issue rule) issues; a second click is a
// repeat that issues and e-mails nothing more.
import type { ServiceDeps } from "../context.ts";
import { type Actor, assertAllowed } from "../domain/permissions.ts";
import { issueInvoice } from "./issue-invoice.ts";
import { sendInvoice } from "./send-invoice.ts";

export type IssueAndSendResult = {
  alreadyDone: boolean;
  invoiceId: string;
  number: string | null;
  emailedTo: string[];
};

export async function issueAndSendInvoice(
  deps: ServiceDeps,
  input: { workspaceId: string; invoiceId: string; actor: Actor; auto?: boolean },
): Promise<IssueAndSendResult> {
  if (!input.auto) assertAllowed(input.actor, { action: "issueInvoice" });
  const actor = input.actor.memberId ?? `slack:${input.actor.slackUserId}`;
  const issued = await issueInvoice(deps, {
    workspaceId: input.workspaceId,
    invoiceId: input.invoiceId,
    actor,
    ...(input.actor.memberId ? { issuedByMemberId: input.actor.memberId } : {}),
  });
  // One "Issue & send" intent per invoice: double clicks and retries reuse the same e-mail claim.
  const sent = await sendInvoice(deps, {
    workspaceId: input.workspaceId,
    invoiceId: input.invoiceId,
    actor,
    sendRequestId: `issue-and-send:${input.invoiceId}`,
  });
  return {
    alreadyDone: issued.alreadyDone && sent.alreadyDone,
    invoiceId: issued.invoice.id,
    number: issued.invoice.number,
    emailedTo: sent.to,
  };
}
