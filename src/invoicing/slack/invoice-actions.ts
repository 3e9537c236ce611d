// Buttons on invoice messages: Issue & send, Edit (and its modal), Hold.

import type { App, BlockAction, ButtonAction, ViewSubmitAction } from "@slack/bolt";
import { formatMoney } from "../../domain/money.ts";
import type { Actor } from "../../domain/permissions.ts";
import { slackText } from "../../slack/kit/blocks.ts";
import {
  ACTIONS,
  CALLBACKS,
  decodeInvoiceValue,
  decodeModalMetadata,
  draftLineField,
  FIELDS,
} from "../../slack/kit/ids.ts";
import { buildErrorReply, buildTextReply, type Reply } from "../../slack/kit/replies.ts";
import {
  actorOf,
  errorReply,
  type ListenerDeps,
  logReplyFailure,
  userMessageOf,
  workspaceIdOf,
} from "../../slack/kit/support.ts";
import { buildLoadingModal, buildMessageModal } from "../../workspace/index.ts";
import { editInvoiceDraft } from "../edit-invoice-draft.ts";
import { holdDraftInvoice } from "../hold-draft-invoice.ts";
import { issueAndSendInvoice } from "../issue-and-send-invoice.ts";
import { loadInvoiceDraft } from "../load-invoice-draft.ts";
import { buildEditDraftModal } from "./edit-draft-modal.ts";

type ButtonBody = BlockAction<ButtonAction>;

/** Service field errors (`lines.2.quantity`, `servicePeriodEnd`) → the modal's block ids. */
function draftErrorsToBlocks(errors: Record<string, string>, shownLines: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, message] of Object.entries(errors)) {
    const line = /^lines\.(\d+)\.(description|quantity|unitPrice|vatRate)$/.exec(key);
    let block: string;
    if (line && Number(line[1]) < shownLines) {
      block = draftLineField(Number(line[1]), line[2] as "description").block;
    } else if (key === "servicePeriodStart") block = FIELDS.draftPeriodStart.block;
    else if (key === "servicePeriodEnd") block = FIELDS.draftPeriodEnd.block;
    else block = FIELDS.draftNotes.block;
    out[block] ??=
      line && Number(line[1]) >= shownLines ? `Line ${Number(line[1]) + 1}: ${message}` : message;
  }
  return out;
}

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

const OUT_OF_DATE = "This button is out of date: use the newest message.";

/** A button that names an invoice: decode it, run one service as the clicking member, answer. */
function onInvoiceButton(
  app: App,
  deps: ListenerDeps,
  actionId: string,
  where: string,
  act: (input: { workspaceId: string; invoiceId: string; actor: Actor }) => Promise<Reply>,
): void {
  app.action<ButtonBody>(actionId, async ({ ack, body, action, respond, context, client }) => {
    await ack();
    try {
      const value = decodeInvoiceValue(action.value);
      const reply = value
        ? await act({
            workspaceId: workspaceIdOf(context),
            invoiceId: value.invoiceId,
            actor: await actorOf(deps, context, body.user.id),
          })
        : buildErrorReply(OUT_OF_DATE);
      await answer(body, respond, client, reply);
    } catch (error) {
      await answer(body, respond, client, errorReply(error, deps, where)).catch(logReplyFailure(deps, where));
    }
  });
}

export function registerInvoiceActions(app: App, deps: ListenerDeps): void {
  onInvoiceButton(app, deps, ACTIONS.issueAndSend, "issue", async (input) => {
    const result = await issueAndSendInvoice(deps, input);
    return buildTextReply(
      result.alreadyDone
        ? `Invoice ${result.number ?? ""} was already issued: nothing was sent again.`
        : `:outbox_tray: Issued as *${result.number ?? "?"}*; the e-mail to the client is on its way. Updates follow in the thread.${
            result.noVerifactuRecord ? ` No VERI*FACTU record: ${result.noVerifactuRecord}.` : ""
          }`,
    );
  });

  onInvoiceButton(app, deps, ACTIONS.holdDraft, "hold", async (input) => {
    const result = await holdDraftInvoice(deps, input);
    return buildTextReply(
      result.alreadyDone
        ? "This draft was already on hold."
        : ":double_vertical_bar: The draft is on hold; *Issue & send* still works when you are ready.",
    );
  });

  // Loading view first (the trigger_id lives 3 s), then the draft's form or the refusal.
  app.action<ButtonBody>(ACTIONS.editDraft, async ({ ack, body, action, respond, context, client }) => {
    await ack();
    const value = decodeInvoiceValue(action.value);
    if (!value) {
      return await answer(body, respond, client, buildErrorReply(OUT_OF_DATE)).catch(
        logReplyFailure(deps, "reply"),
      );
    }
    let viewId: string | undefined;
    try {
      const opened = await client.views.open({
        trigger_id: body.trigger_id,
        view: buildLoadingModal("Edit draft"),
      });
      viewId = opened.view?.id;
      const actor = await actorOf(deps, context, body.user.id);
      const draft = await loadInvoiceDraft(deps, {
        workspaceId: workspaceIdOf(context),
        invoiceId: value.invoiceId,
        actor,
      });
      if (viewId) await client.views.update({ view_id: viewId, view: buildEditDraftModal(draft) });
    } catch (error) {
      const message = userMessageOf(error, deps, "edit");
      if (viewId) {
        await client.views
          .update({
            view_id: viewId,
            view: buildMessageModal("Edit draft", slackText`:no_entry: ${message}`),
          })
          .catch(logReplyFailure(deps, "reply"));
      } else {
        await answer(body, respond, client, buildErrorReply(message)).catch(logReplyFailure(deps, "reply"));
      }
    }
  });

  // Saved before the ack (one short transaction) so that bad input shows next to its field.
  app.view<ViewSubmitAction>(CALLBACKS.editDraft, async ({ ack, body, view, context }) => {
    const meta = decodeModalMetadata(view.private_metadata);
    if (!meta.invoiceId) {
      await ack({
        response_action: "update",
        view: buildMessageModal("Edit draft", "This form is out of date: press *Edit* again."),
      });
      return;
    }
    const values = view.state.values as Record<
      string,
      Record<string, { value?: string | null; selected_date?: string | null }>
    >;
    const text = (f: { block: string; action: string }) => values[f.block]?.[f.action]?.value ?? "";
    const date = (f: { block: string; action: string }) => values[f.block]?.[f.action]?.selected_date ?? null;
    const lines = Array.from({ length: meta.lines ?? 0 }, (_, i) => ({
      description: text(draftLineField(i, "description")),
      quantity: text(draftLineField(i, "quantity")),
      unitPrice: text(draftLineField(i, "unitPrice")),
      vatRate: text(draftLineField(i, "vatRate")),
    }));
    try {
      const actor = await actorOf(deps, context, body.user.id);
      const result = await editInvoiceDraft(deps, {
        workspaceId: workspaceIdOf(context),
        invoiceId: meta.invoiceId,
        actor,
        lines,
        servicePeriodStart: date(FIELDS.draftPeriodStart),
        servicePeriodEnd: date(FIELDS.draftPeriodEnd),
        notes: text(FIELDS.draftNotes),
      });
      if (!result.ok) {
        await ack({ response_action: "errors", errors: draftErrorsToBlocks(result.errors, lines.length) });
        return;
      }
      await ack({
        response_action: "update",
        view: buildMessageModal(
          "Edit draft",
          `:white_check_mark: Draft saved: ${result.lines} line${result.lines === 1 ? "" : "s"}, total ${formatMoney({ amountMinor: result.totalMinor, currency: result.currency }, result.locale)}. Its message in the billing channel is updated.`,
        ),
      });
    } catch (error) {
      await ack({
        response_action: "update",
        view: buildMessageModal("Edit draft", `:no_entry: ${userMessageOf(error, deps, "edit submit")}`),
      });
    }
  });
}
