// The channel of a DM delivery to a member; when Slack does not know them, billing is told in each
// invoice's thread (or the billing channel) and the delivery fails with the reason.
import type { Db } from "../db/client.ts";
import { DomainError } from "../domain/errors.ts";
import { escapeMrkdwn } from "../slack/kit/blocks.ts";
import { type DeliveryRow, findBillingChannel, findInvoiceNumber, findPosts, recordPost } from "./repo.ts";
import { resolveDmRecipient } from "./resolve-dm-recipient.ts";
import type { SlackSender } from "./slack-client.ts";

export async function dmChannelOf(
  sender: SlackSender,
  db: Db,
  delivery: DeliveryRow,
  input: { memberId: string; invoiceIds: string[]; what: string },
): Promise<string> {
  const recipient = await resolveDmRecipient(
    db,
    (email) => sender.lookupUserByEmail(delivery.workspaceId, email),
    {
      workspaceId: delivery.workspaceId,
      memberId: input.memberId,
    },
  );
  if ("slackUserId" in recipient) return recipient.slackUserId;
  const text = `:warning: Could not send ${input.what} by DM: ${recipient.unreachable}.`;
  // Each note is recorded under (this delivery, invoice or delivery id): a retry posts none twice.
  const subjectType = `dm_unreachable:${delivery.id}`;
  const post = async (subjectId: string, channel: string, threadTs: string | undefined, body: string) => {
    const posted = await findPosts(db, delivery.workspaceId, subjectType, subjectId);
    if (posted.length > 0) return;
    const { ts } = await sender.postMessage(delivery.workspaceId, {
      channel,
      text: body,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    await recordPost(db, {
      workspaceId: delivery.workspaceId,
      subjectType,
      subjectId,
      channelId: channel,
      ts,
    });
  };
  const billingChannelId = (await findBillingChannel(db, delivery.workspaceId))?.billing;
  const unthreaded: string[] = [];
  for (const invoiceId of input.invoiceIds) {
    const parents = await findPosts(db, delivery.workspaceId, "invoice", invoiceId);
    const parent = parents.find((p) => p.channelId === billingChannelId) ?? parents[0];
    if (parent) await post(invoiceId, parent.channelId, parent.ts, text);
    else unthreaded.push(invoiceId);
  }
  if (unthreaded.length > 0 || input.invoiceIds.length === 0) {
    if (billingChannelId) {
      const numbers = await Promise.all(
        unthreaded.map(async (id) => (await findInvoiceNumber(db, id)) ?? id),
      );
      await post(
        delivery.id,
        billingChannelId,
        undefined,
        numbers.length > 0 ? `${text} Invoices: ${numbers.map(escapeMrkdwn).join(", ")}.` : text,
      );
    }
  }
  throw new DomainError("slack.dm_unreachable", recipient.unreachable, {
    userMessage: recipient.unreachable,
  });
}
