// Buttons on invoice messages and the App Home: Issue & send, Edit, Hold, Mark done, Open settings.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { completeMilestone } from "../../services/complete-milestone.ts";
import { holdDraftInvoice } from "../../services/hold-draft-invoice.ts";
import { issueAndSendInvoice } from "../../services/issue-and-send-invoice.ts";
import { ACTIONS, decodeInvoiceValue, decodeMilestoneValue } from "../ids.ts";
import { buildErrorReply, buildMilestoneDoneReply, buildTextReply, type Reply } from "../views/replies.ts";
import { buildMessageModal } from "../views/setup-modal.ts";
import { openSetupModal } from "./cobro-command.ts";
import { publishHome } from "./events.ts";
import { actorOf, type ListenerDeps, userMessageOf, workspaceIdOf } from "./support.ts";

type ButtonBody = BlockAction<ButtonAction>;

/** Ephemeral answer to a click: in the channel when the button was on a message, else in a modal. */
async function answer(
  body: ButtonBody,
  respond: (message: Record<string, unknown>) => Promise<unknown>,
  client: App["client"],
  reply: Reply,
): Promise<void> {
  if (body.response_url || body.container?.type === "message") {
    await respond({ response_type: "ephemeral", replace_original: false, ...reply });
    return;
  }
  await client.views.open({ trigger_id: body.trigger_id, view: buildMessageModal("Cobro", reply.text) });
}

export function registerInvoiceActions(app: App, deps: ListenerDeps): void {
  app.action<ButtonBody>(ACTIONS.issueAndSend, async ({ ack, body, action, respond, context, client }) => {
    await ack();
    try {
      const value = decodeInvoiceValue(action.value);
      if (!value)
        return await answer(
          body,
          respond,
          client,
          buildErrorReply("This button is out of date: use the newest message."),
        );
      const actor = await actorOf(deps, context, body.user.id);
      const result = await issueAndSendInvoice(deps, {
        workspaceId: workspaceIdOf(context),
        invoiceId: value.invoiceId,
        actor,
      });
      await answer(
        body,
        respond,
        client,
        buildTextReply(
          result.alreadyDone
            ? `Invoice ${result.number ?? ""} was already issued: nothing was sent again.`
            : `:outbox_tray: Issued as *${result.number ?? "?"}*; the e-mail to the client is on its way. Updates follow in the thread.`,
        ),
      );
    } catch (error) {
      await answer(body, respond, client, buildErrorReply(userMessageOf(error, deps, "issue"))).catch(
        () => {},
      );
    }
  });

  app.action<ButtonBody>(ACTIONS.holdDraft, async ({ ack, body, action, respond, context, client }) => {
    await ack();
    try {
      const value = decodeInvoiceValue(action.value);
      if (!value)
        return await answer(
          body,
          respond,
          client,
          buildErrorReply("This button is out of date: use the newest message."),
        );
      const actor = await actorOf(deps, context, body.user.id);
      const result = await holdDraftInvoice(deps, {
        workspaceId: workspaceIdOf(context),
        invoiceId: value.invoiceId,
        actor,
      });
      await answer(
        body,
        respond,
        client,
        buildTextReply(
          result.alreadyDone
            ? "This draft was already on hold."
            : ":double_vertical_bar: The draft is on hold; *Issue & send* still works when you are ready.",
        ),
      );
    } catch (error) {
      await answer(body, respond, client, buildErrorReply(userMessageOf(error, deps, "hold"))).catch(
        () => {},
      );
    }
  });

  app.action<ButtonBody>(ACTIONS.editDraft, async ({ ack, body, action, respond, context, client }) => {
    await ack();
    try {
      const value = decodeInvoiceValue(action.value);
      if (!value)
        return await answer(
          body,
          respond,
          client,
          buildErrorReply("This button is out of date: use the newest message."),
        );
      const actor = await actorOf(deps, context, body.user.id);
      if (!actor.roles.includes("billing")) {
        return await answer(
          body,
          respond,
          client,
          buildErrorReply(
            "Only someone with the billing role can edit invoices. An admin can give roles with `/cobro setup`.",
          ),
        );
      }
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildMessageModal(
          "Edit draft",
          "Editing draft lines from Slack arrives with the invoice editor. Until then, *Hold* the draft and change it with `cobro` on the server, then *Issue & send*.",
        ),
      });
    } catch (error) {
      await answer(body, respond, client, buildErrorReply(userMessageOf(error, deps, "edit"))).catch(
        () => {},
      );
    }
  });

  app.action<ButtonBody>(
    ACTIONS.markMilestoneDone,
    async ({ ack, body, action, respond, context, client }) => {
      await ack();
      try {
        const value = decodeMilestoneValue(action.value);
        if (!value)
          return await answer(
            body,
            respond,
            client,
            buildErrorReply("This button is out of date: reopen the Home tab."),
          );
        const actor = await actorOf(deps, context, body.user.id);
        const done = await completeMilestone(deps, {
          workspaceId: workspaceIdOf(context),
          actor,
          milestoneId: value.milestoneId,
        });
        await answer(body, respond, client, buildMilestoneDoneReply({ ...done, locale: "en" }));
        await publishHome(deps, client, { context, userId: body.user.id });
      } catch (error) {
        await answer(body, respond, client, buildErrorReply(userMessageOf(error, deps, "mark done"))).catch(
          () => {},
        );
      }
    },
  );

  app.action<ButtonBody>(ACTIONS.openSetup, async ({ ack, body, context, client }) => {
    await ack();
    await openSetupModal(deps, client, { triggerId: body.trigger_id, userId: body.user.id, context });
  });
}
