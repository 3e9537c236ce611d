// The Send again / It arrived buttons on the question about a send whose outcome Cobro cannot know.
import { answerUnknownDelivery } from "../delivery/index.ts";
import { t } from "../i18n/index.ts";
import { markup } from "./kit/blocks.ts";
import type { ActionArgs } from "./kit/handler.ts";
import { ACTIONS, UnknownDeliveryButton } from "./kit/ids.ts";
import { buildErrorReply, buildTextReply, errorReply } from "./kit/replies.ts";
import {
  actorOf,
  type ListenerDeps,
  logReplyFailure,
  md,
  readerLocale,
  responder,
  workspaceIdOf,
} from "./kit/support.ts";

const ANSWERS = {
  [ACTIONS.deliverySendAgain]: { answer: "send_again", done: "delivery.answer.send_again" },
  [ACTIONS.deliveryArrived]: { answer: "arrived", done: "delivery.answer.arrived" },
} as const;

export async function deliveryUnknownAnswer(deps: ListenerDeps, { ack, body, respond, context }: ActionArgs) {
  await ack();
  const locale = await readerLocale(context);
  const reply = responder(deps, respond);
  const button = UnknownDeliveryButton.safeParse(body.actions[0]);
  if (!button.success) return reply.notice(buildErrorReply(t(locale, "invoicing.button.out_of_date")));
  const { answer, done } = ANSWERS[button.data.action_id];
  try {
    const actor = await actorOf(deps, context, body.user.id);
    const input = { workspaceId: workspaceIdOf(context), deliveryId: button.data.value, answer };
    const result = await answerUnknownDelivery(deps, actor, input);
    if (result.alreadyDone) return await reply.notice(buildTextReply(t(locale, "delivery.answer.already")));
    await reply.replace(buildTextReply(md(locale, done, { person: markup(`<@${body.user.id}>`) })));
  } catch (error) {
    await reply
      .notice(errorReply(error, deps, button.data.action_id, locale))
      .catch(logReplyFailure(deps, "reply"));
  }
}
