// The Send again / It arrived buttons on the question about a send whose outcome Cobro cannot know.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { z } from "zod";
import { answerUnknownDelivery } from "../delivery/index.ts";
import { ACTIONS } from "./kit/ids.ts";
import { actorOf, type ListenerDeps, logReplyFailure, userMessageOf, workspaceIdOf } from "./kit/support.ts";

const ANSWERS = {
  [ACTIONS.deliverySendAgain]: {
    answer: "send_again",
    done: (user: string) => `:arrows_counterclockwise: <@${user}> asked to send it again: it goes now.`,
  },
  [ACTIONS.deliveryArrived]: {
    answer: "arrived",
    done: (user: string) => `:white_check_mark: <@${user}> confirmed it arrived: Cobro records it as sent.`,
  },
} as const;

const DeliveryId = z.uuid();

export function registerUnknownDeliveryListeners(app: App, deps: ListenerDeps): void {
  for (const [actionId, { answer, done }] of Object.entries(ANSWERS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action, respond, context }) => {
      await ack();
      const ephemeral = async (text: string) => {
        await respond({ response_type: "ephemeral", replace_original: false, text }).catch(
          logReplyFailure(deps, actionId),
        );
      };
      const deliveryId = DeliveryId.safeParse(action.value);
      if (!deliveryId.success) return ephemeral("This button is out of date: use the newest message.");
      try {
        const actor = await actorOf(deps, context, body.user.id);
        const result = await answerUnknownDelivery(deps, actor, {
          workspaceId: workspaceIdOf(context),
          deliveryId: deliveryId.data,
          answer,
        });
        if (result.alreadyDone) return ephemeral("Someone already answered this question.");
        await respond({ replace_original: true, text: done(body.user.id) }).catch(
          logReplyFailure(deps, actionId),
        );
      } catch (error) {
        await ephemeral(userMessageOf(error, deps, actionId));
      }
    });
  }
}
