// Asks billing in Slack whether a send cut short by a crash arrived, when the provider cannot tell:
// in the invoice's thread in the billing channel when there is one, else in the billing channel.
import type { Db } from "../db/client.ts";
import { DomainError } from "../domain/errors.ts";
import { DEFAULT_LOCALE, isLocale, type Locale, t } from "../i18n/index.ts";
import { escapeMrkdwn } from "../slack/kit/blocks.ts";
import { ACTIONS } from "../slack/kit/ids.ts";
import type { DeliveryHandler } from "./deliver.ts";
import { type DeliveryRow, findBillingChannel, findDelivery, findInvoiceThread } from "./repo.ts";
import type { SlackSender } from "./slack-client.ts";

/** What was being sent, as billing reads it in the workspace's language. */
function describeSend(delivery: DeliveryRow, invoiceNumber: string | null, locale: Locale): string {
  const payload = delivery.payload as { to?: unknown; channel?: unknown; channelId?: unknown };
  const channel = String(payload.channel ?? payload.channelId ?? "");
  const to = Array.isArray(payload.to) ? payload.to.map(String) : [];
  const values = {
    kind: delivery.kind === "email" ? "email" : channel ? "channel" : "slack",
    number: escapeMrkdwn(invoiceNumber ?? ""),
    to:
      to.length > 0
        ? escapeMrkdwn(new Intl.ListFormat(locale).format(to))
        : t(locale, "delivery.question.the_client"),
    channel: `<#${channel}>`,
  };
  return t(locale, invoiceNumber ? "delivery.question.what_invoice" : "delivery.question.what", values);
}

/** The question with its two buttons, in the workspace's language; the value is the delivery asked about. */
function buildDeliveryQuestion(delivery: DeliveryRow, invoiceNumber: string | null, locale: Locale) {
  const what = describeSend(delivery, invoiceNumber, locale);
  return {
    text: t(locale, "delivery.question.text", { what }),
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: t(locale, "delivery.question.body", { what }) },
      },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: ACTIONS.deliverySendAgain,
            text: { type: "plain_text", text: t(locale, "delivery.question.send_again") },
            value: delivery.id,
          },
          {
            type: "button",
            action_id: ACTIONS.deliveryArrived,
            text: { type: "plain_text", text: t(locale, "delivery.question.arrived") },
            style: "primary",
            value: delivery.id,
          },
        ],
      },
    ],
  };
}

async function findWhereToAsk(db: Db, delivery: DeliveryRow) {
  const workspace = await findBillingChannel(db, delivery.workspaceId);
  if (!workspace?.billing) return null;
  const locale = isLocale(workspace.locale) ? workspace.locale : DEFAULT_LOCALE;
  if (!delivery.invoiceId) return { channel: workspace.billing, threadTs: undefined, number: null, locale };
  const invoice = await findInvoiceThread(db, delivery.invoiceId, workspace.billing);
  return {
    channel: workspace.billing,
    threadTs: invoice?.ts ?? undefined,
    number: invoice?.number ?? null,
    locale,
  };
}

export function deliveryQuestionHandler(sender: SlackSender, db: Db): DeliveryHandler {
  return async (question) => {
    const { deliveryId } = question.payload as { deliveryId: string };
    const asked = await findDelivery(db, question.workspaceId, deliveryId);
    if (asked?.status !== "unknown") return { skipped: "already answered" };
    const where = await findWhereToAsk(db, asked);
    if (!where) {
      throw new DomainError("delivery.no_billing_channel", "no billing channel to ask in", {
        userMessage:
          "A send may or may not have arrived and there is no billing channel to ask in: pick one in /cobro setup.",
      });
    }
    const message = buildDeliveryQuestion(asked, where.number, where.locale);
    const { ts } = await sender.postMessage(question.workspaceId, {
      channel: where.channel,
      ...(where.threadTs ? { thread_ts: where.threadTs } : {}),
      text: message.text,
      blocks: message.blocks,
    });
    return { channel: where.channel, ts };
  };
}
