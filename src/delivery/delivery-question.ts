// Asks billing in Slack whether a send cut short by a crash arrived, when the provider cannot tell:
// in the invoice's thread in the billing channel when there is one, else in the billing channel.
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { deliveries, invoices, slackMessages, workspaces } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import { escapeMrkdwn } from "../slack/kit/blocks.ts";
import { ACTIONS } from "../slack/kit/ids.ts";
import type { DeliveryHandler, DeliveryRow } from "./deliver.ts";
import type { SlackSender } from "./slack-client.ts";

function describeSend(delivery: DeliveryRow, invoiceNumber: string | null): string {
  const payload = delivery.payload as { to?: unknown; channel?: unknown; channelId?: unknown };
  const about = invoiceNumber ? ` about invoice ${escapeMrkdwn(invoiceNumber)}` : "";
  if (delivery.kind === "email") {
    const to = Array.isArray(payload.to) ? payload.to.map(String).join(", ") : "the client";
    return `the e-mail${about} to ${escapeMrkdwn(to)}`;
  }
  const channel = String(payload.channel ?? payload.channelId ?? "");
  return channel ? `the Slack message${about} in <#${channel}>` : `the Slack message${about}`;
}

/** The question with its two buttons; the value is the delivery asked about. */
export function buildDeliveryQuestion(delivery: DeliveryRow, invoiceNumber: string | null) {
  const what = describeSend(delivery, invoiceNumber);
  const text = `Cobro stopped while sending ${what} and cannot tell whether it arrived. Check, then choose Send again or It arrived.`;
  return {
    text,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `:grey_question: Cobro stopped while sending ${what}, and the provider cannot tell whether it arrived. Please check (the recipient, or the provider's activity log), then choose:`,
        },
      },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: ACTIONS.deliverySendAgain,
            text: { type: "plain_text", text: "Send again" },
            value: delivery.id,
          },
          {
            type: "button",
            action_id: ACTIONS.deliveryArrived,
            text: { type: "plain_text", text: "It arrived" },
            style: "primary",
            value: delivery.id,
          },
        ],
      },
    ],
  };
}

async function findWhereToAsk(db: Db, delivery: DeliveryRow) {
  const [workspace] = await db
    .select({ billing: workspaces.billingChannelId })
    .from(workspaces)
    .where(eq(workspaces.id, delivery.workspaceId));
  if (!workspace?.billing) return null;
  if (!delivery.invoiceId) return { channel: workspace.billing, threadTs: undefined, number: null };
  const [invoice] = await db
    .select({ number: invoices.number, ts: slackMessages.ts })
    .from(invoices)
    .leftJoin(
      slackMessages,
      and(
        eq(slackMessages.workspaceId, invoices.workspaceId),
        eq(slackMessages.subjectType, "invoice"),
        eq(slackMessages.subjectId, invoices.id),
        eq(slackMessages.channelId, workspace.billing),
      ),
    )
    .where(eq(invoices.id, delivery.invoiceId));
  return { channel: workspace.billing, threadTs: invoice?.ts ?? undefined, number: invoice?.number ?? null };
}

export function deliveryQuestionHandler(sender: SlackSender, db: Db): DeliveryHandler {
  return async (question) => {
    const { deliveryId } = question.payload as { deliveryId: string };
    const [asked] = await db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.id, deliveryId), eq(deliveries.workspaceId, question.workspaceId)));
    if (asked?.status !== "unknown") return { skipped: "already answered" };
    const where = await findWhereToAsk(db, asked);
    if (!where) {
      throw new DomainError("delivery.no_billing_channel", "no billing channel to ask in", {
        userMessage:
          "A send may or may not have arrived and there is no billing channel to ask in: pick one in /cobro setup.",
      });
    }
    const message = buildDeliveryQuestion(asked, where.number);
    const { ts } = await sender.postMessage(question.workspaceId, {
      channel: where.channel,
      ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
      text: message.text,
      blocks: message.blocks,
    });
    return { channel: where.channel, ts };
  };
}
