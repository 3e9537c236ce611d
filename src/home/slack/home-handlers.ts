// The App Home's buttons: Mark done on a milestone that needs you, Open settings. From the Home
// there is no response_url: answers go in a small modal, and the Home is published again.
import { t } from "../../i18n/index.ts";
import { completeMilestone } from "../../invoicing/index.ts";
import type { ActionArgs, EventArgs } from "../../slack/kit/handler.ts";
import { MilestoneButton } from "../../slack/kit/ids.ts";
import { buildErrorReply, buildMilestoneDoneReply, errorReply, type Reply } from "../../slack/kit/replies.ts";
import {
  ctxOf,
  type ListenerDeps,
  localeOf,
  logReplyFailure,
  openModal,
  responder,
} from "../../slack/kit/support.ts";
import { buildMessageModal, openSetupModal } from "../../workspace/index.ts";
import { publishHome } from "./publish-home.ts";

/** Beside the message when the button was on one, else in a small modal. */
async function answer(
  deps: ListenerDeps,
  { body, respond, client, context }: ActionArgs,
  reply: Reply,
): Promise<void> {
  const locale = localeOf(context);
  if (body.response_url || body.container?.type === "message")
    return responder(deps, respond, locale).notice(reply);
  await openModal(client, body.trigger_id, buildMessageModal("Cobro", reply.text, locale));
}

export async function homeMarkMilestoneDone(deps: ListenerDeps, args: ActionArgs) {
  const { ack, body, context, client } = args;
  await ack();
  const locale = localeOf(context);
  try {
    const milestone = MilestoneButton.safeParse(body.actions[0]);
    if (!milestone.success)
      return await answer(deps, args, buildErrorReply(t(locale, "home.error.out_of_date")));
    const done = await completeMilestone(ctxOf(deps, context), { milestoneId: milestone.data.value });
    await answer(deps, args, buildMilestoneDoneReply({ ...done, locale }));
    await publishHome(deps, client, { context, userId: body.user.id });
  } catch (error) {
    await answer(deps, args, errorReply(error, deps, "mark done", locale)).catch(
      logReplyFailure(deps, "reply"),
    );
  }
}

export async function homeOpenSetup(deps: ListenerDeps, { ack, body, context, client }: ActionArgs) {
  await ack();
  await openSetupModal(deps, client, { triggerId: body.trigger_id, userId: body.user.id, context });
}

/** The Home tab opened: what needs this person now, published for them. */
export async function homeOpened(
  deps: ListenerDeps,
  { event, context, client }: EventArgs<"app_home_opened">,
) {
  if (event.tab !== "home") return;
  await publishHome(deps, client, { context, userId: event.user });
}
