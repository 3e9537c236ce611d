// The buttons of an invoice's message (Issue & send, Edit, Hold) and the Edit draft modal: ack,
// parse the button or the modal's private_metadata, one verb as the clicking member, one answer.
import type { Ctx } from "../../context.ts";
import { type Locale, t } from "../../i18n/index.ts";
import { slackText } from "../../slack/kit/blocks.ts";
import type { ActionArgs, ViewArgs } from "../../slack/kit/handler.ts";
import { EditDraftMetadata, InvoiceButton } from "../../slack/kit/ids.ts";
import { buildErrorReply, errorReply, type Reply } from "../../slack/kit/replies.ts";
import {
  answerClick,
  ctxOf,
  type ListenerDeps,
  localeOf,
  logReplyFailure,
  openModalAndFill,
  readerLocale,
  userMessageOf,
} from "../../slack/kit/support.ts";
import { buildMessageModal } from "../../workspace/index.ts";
import { editInvoiceDraft } from "../edit-invoice-draft.ts";
import { holdInvoice } from "../hold-invoice.ts";
import { issueAndSendInvoice } from "../issue-and-send-invoice.ts";
import { loadInvoiceDraft } from "../load-invoice-draft.ts";
import { buildEditDraftModal, draftErrorsToBlocks, readEditDraftForm } from "./edit-draft-modal.ts";
import { draftSavedText, heldReply, issuedReply } from "./invoice-replies.ts";

/** A button naming an invoice: run one verb as the clicking member, answer in their language. */
async function invoiceClick(
  deps: ListenerDeps,
  args: ActionArgs,
  run: (ctx: Ctx, invoiceId: string, locale: Locale) => Promise<Reply>,
) {
  const { ack, body, context } = args;
  await ack();
  // Slack is asked for the reader's language only when no modal must open first (trigger_id: 3 s).
  const locale = body.response_url ? await readerLocale(context) : localeOf(context);
  const where = body.actions[0]?.action_id ?? "invoice button";
  try {
    const button = InvoiceButton.safeParse(body.actions[0]);
    if (!button.success)
      return await answerClick(deps, args, buildErrorReply(t(locale, "invoicing.button.out_of_date")));
    await answerClick(deps, args, await run(ctxOf(deps, context), button.data.value, locale));
  } catch (error) {
    await answerClick(deps, args, errorReply(error, deps, where, locale)).catch(logReplyFailure(deps, where));
  }
}

export async function invoiceIssueAndSend(deps: ListenerDeps, args: ActionArgs) {
  await invoiceClick(deps, args, async (ctx, invoiceId, locale) =>
    issuedReply(await issueAndSendInvoice(ctx, { invoiceId }), locale),
  );
}

export async function invoiceHold(deps: ListenerDeps, args: ActionArgs) {
  await invoiceClick(deps, args, async (ctx, invoiceId, locale) =>
    heldReply(await holdInvoice(ctx, { invoiceId, hold: true }), locale),
  );
}

/** Edit: a loading modal first (the trigger_id lives 3 s), then the draft's form or the refusal. */
export async function invoiceEditDraft(deps: ListenerDeps, args: ActionArgs) {
  const { ack, body, context, client } = args;
  await ack();
  const locale = localeOf(context);
  const button = InvoiceButton.safeParse(body.actions[0]);
  if (!button.success) {
    const stale = buildErrorReply(t(locale, "invoicing.button.out_of_date"));
    return await answerClick(deps, args, stale).catch(logReplyFailure(deps, "edit"));
  }
  await openModalAndFill(deps, client, {
    triggerId: body.trigger_id,
    context,
    title: "invoicing.edit.title",
    where: "edit",
    fill: async (reader) =>
      buildEditDraftModal(
        await loadInvoiceDraft(ctxOf(deps, context), { invoiceId: button.data.value }),
        reader,
      ),
  });
}

/** Saved before the ack (one short transaction) so that bad input shows next to its field. */
export async function invoiceEditDraftSubmit(deps: ListenerDeps, { ack, view, context }: ViewArgs) {
  const locale = localeOf(context);
  const title = t(locale, "invoicing.edit.title");
  const say = (text: string) =>
    ack({ response_action: "update", view: buildMessageModal(title, text, locale) });
  const meta = EditDraftMetadata.safeParse(view.private_metadata);
  if (!meta.success) return await say(t(locale, "invoicing.edit.out_of_date"));
  try {
    const form = readEditDraftForm(view.state.values, meta.data.lines);
    const input = { invoiceId: meta.data.invoiceId, ...form };
    const result = await editInvoiceDraft(ctxOf(deps, context), input);
    if (!result.ok) {
      const errors = draftErrorsToBlocks(result.errors, meta.data.lines, locale);
      return await ack({ response_action: "errors", errors });
    }
    await say(draftSavedText(result, locale));
  } catch (error) {
    await say(slackText`:no_entry: ${userMessageOf(error, deps, "edit submit", locale)}`);
  }
}
