// Buttons on overdue alerts, heads-ups and the formal-notice approval, and their modals: Record
// payment, Send reminder now, Promise to pay, Pause, Dispute, Assign to me, Approve.
import { contextFor } from "../../context.ts";
import { isDomainError } from "../../domain/errors.ts";
import { auditActorOf, type SlackActor } from "../../domain/permissions.ts";
import { type Locale, type MessageKey, t } from "../../i18n/index.ts";
import { recordClientPayment, recordPayment } from "../../invoicing/index.ts";
import type { ActionArgs, ViewArgs } from "../../slack/kit/handler.ts";
import {
  ClientPaymentMetadata,
  COLLECTION_FIELDS,
  CollectionModalButton,
  InvoiceButton,
  InvoiceValueText,
} from "../../slack/kit/ids.ts";
import { buildErrorReply, buildTextReply, type Reply } from "../../slack/kit/replies.ts";
import {
  actorOf,
  ctxOf,
  errorReply,
  fieldValue,
  type ListenerDeps,
  localeOf,
  logReplyFailure,
  openModal,
  readerLocale,
  responder,
  userMessageOf,
  workspaceIdOf,
} from "../../slack/kit/support.ts";
import { buildMessageModal } from "../../workspace/index.ts";
import { approveFormalNotice } from "../approve-formal-notice.ts";
import { assignCollector } from "../assign-collector.ts";
import { authorizeCollectionAction, type CollectionActionKind } from "../authorize-collection-action.ts";
import { disputeInvoice } from "../dispute-invoice.ts";
import { pauseCollection } from "../pause-collection.ts";
import { promiseToPay } from "../promise-to-pay.ts";
import { sendReminderNow } from "../send-reminder-now.ts";
import {
  assignedText,
  clientPaymentRecordedText,
  disputeSavedText,
  formalNoticeText,
  outOfDateText,
  pauseSavedText,
  paymentRecordedText,
  promiseSavedText,
  reminderNowText,
} from "./collection-replies.ts";
import { openCollectionModal } from "./open-collection-modal.ts";

type InvoiceInput = { workspaceId: string; invoiceId: string; actor: SlackActor };
type Values = ViewArgs["view"]["state"]["values"];

/** Record payment, Promise to pay, Pause, Dispute: the invoice's modal (the refusal in it if any). */
export async function collectionModalButton(
  deps: ListenerDeps,
  { ack, body, respond, context, client }: ActionArgs,
) {
  await ack();
  const locale = localeOf(context);
  const button = CollectionModalButton.safeParse(body.actions[0]);
  if (!button.success) return responder(deps, respond, locale).notice(buildErrorReply(outOfDateText(locale)));
  const { action_id: modal, value: invoiceId } = button.data;
  const open = { modal, triggerId: body.trigger_id, context, slackUserId: body.user.id, invoiceId };
  await openCollectionModal(deps, client, open).catch((error: unknown) => {
    deps.logger.warn({ err: error }, "collections modal did not open");
  });
}

/** A one-click action: ack, call one service, answer ephemerally (from the App Home, in a small modal). */
async function answerClick(
  deps: ListenerDeps,
  args: ActionArgs,
  run: (input: InvoiceInput, locale: Locale) => Promise<string>,
) {
  const { ack, body, respond, context, client } = args;
  await ack();
  const locale = await readerLocale(context);
  const answer = (message: Reply) =>
    body.response_url
      ? responder(deps, respond, locale).notice(message)
      : openModal(client, body.trigger_id, buildMessageModal("Cobro", message.text, locale)).then(() => {});
  const where = body.actions[0]?.action_id ?? "collections click";
  try {
    const button = InvoiceButton.safeParse(body.actions[0]);
    if (!button.success) return await answer(buildErrorReply(outOfDateText(locale)));
    const actor = await actorOf(deps, context, body.user.id);
    const input = { workspaceId: workspaceIdOf(context), invoiceId: button.data.value, actor };
    await answer(buildTextReply(await run(input, locale)));
  } catch (error) {
    await answer(errorReply(error, deps, where, locale)).catch(logReplyFailure(deps, "reply"));
  }
}

export async function collectionRemindNow(deps: ListenerDeps, args: ActionArgs) {
  await answerClick(deps, args, async (input, locale) =>
    reminderNowText(await sendReminderNow(ctxOf(deps, args.context), { invoiceId: input.invoiceId }), locale),
  );
}

export async function collectionAssignToMe(deps: ListenerDeps, args: ActionArgs) {
  await answerClick(deps, args, async ({ workspaceId, invoiceId, actor }, locale) => {
    await authorizeCollectionAction(deps, { workspaceId, invoiceId, actor, kind: "collect" });
    const input = { workspaceId, invoiceId, memberId: actor.memberId, actor: auditActorOf(actor) };
    return assignedText(await assignCollector(deps, input), locale);
  });
}

export async function collectionApproveFormal(deps: ListenerDeps, args: ActionArgs) {
  await answerClick(deps, args, async ({ workspaceId, invoiceId, actor }, locale) => {
    const input = { workspaceId, invoiceId, memberId: actor.memberId, actor: auditActorOf(actor) };
    return formalNoticeText(await approveFormalNotice(deps, input), locale);
  });
}

/** Which modal input a refusal belongs next to. */
function blockOfError(error: unknown, fallback: string): string {
  if (!isDomainError(error)) return fallback;
  const f = error.field ?? "";
  if (f === "amount" || f === "amountMinor" || error.code.startsWith("money."))
    return COLLECTION_FIELDS.amount.block;
  if (f === "paidOn" || error.code === "payment.future") return COLLECTION_FIELDS.paidOn.block;
  if (f === "reference") return COLLECTION_FIELDS.reference.block;
  if (f === "promisedOn") return COLLECTION_FIELDS.promisedOn.block;
  if (f === "until") return COLLECTION_FIELDS.until.block;
  if (f === "reason") return COLLECTION_FIELDS.reason.block;
  return fallback;
}

/**
 * A collections modal submitted: refusals and bad input stay in the modal next to their field; a
 * result replaces it with what was done. The permission is checked again: a modal can outlive a role.
 */
async function submitCollection(
  deps: ListenerDeps,
  { ack, body, view, context }: ViewArgs,
  spec: {
    kind: CollectionActionKind;
    title: MessageKey;
    firstField: { block: string };
    run: (input: InvoiceInput & { values: Values; number: string; locale: Locale }) => Promise<string>;
  },
) {
  const locale = localeOf(context);
  const invoiceId = InvoiceValueText.safeParse(view.private_metadata);
  if (!invoiceId.success) {
    const errors = { [spec.firstField.block]: outOfDateText(locale) };
    return void (await ack({ response_action: "errors", errors }));
  }
  try {
    const actor = await actorOf(deps, context, body.user.id);
    const input = { workspaceId: workspaceIdOf(context), invoiceId: invoiceId.data, actor };
    const { number } = await authorizeCollectionAction(deps, { ...input, kind: spec.kind });
    const named = number ?? t(locale, "collections.invoice.this");
    const done = await spec.run({ ...input, values: view.state.values, number: named, locale });
    await ack({ response_action: "update", view: buildMessageModal(t(locale, spec.title), done, locale) });
  } catch (error) {
    const message = userMessageOf(error, deps, view.callback_id, locale);
    await ack({
      response_action: "errors",
      errors: { [blockOfError(error, spec.firstField.block)]: message },
    });
  }
}

export async function collectionPromiseSubmit(deps: ListenerDeps, args: ViewArgs) {
  await submitCollection(deps, args, {
    kind: "collect",
    title: "collections.promise.title",
    firstField: COLLECTION_FIELDS.promisedOn,
    run: async ({ workspaceId, invoiceId, actor, values, number, locale }) => {
      const promisedOn = fieldValue(values, COLLECTION_FIELDS.promisedOn);
      const input = { workspaceId, invoiceId, promisedOn, actor: auditActorOf(actor) };
      return promiseSavedText(await promiseToPay(deps, input), number, locale);
    },
  });
}

export async function collectionPauseSubmit(deps: ListenerDeps, args: ViewArgs) {
  await submitCollection(deps, args, {
    kind: "pauseOrDispute",
    title: "collections.pause.title",
    firstField: COLLECTION_FIELDS.until,
    run: async ({ workspaceId, invoiceId, actor, values, number, locale }) => {
      const until = fieldValue(values, COLLECTION_FIELDS.until);
      const reason = fieldValue(values, COLLECTION_FIELDS.reason);
      const input = { workspaceId, invoiceId, until, reason, actor: auditActorOf(actor) };
      return pauseSavedText(await pauseCollection(deps, input), number, locale);
    },
  });
}

export async function collectionDisputeSubmit(deps: ListenerDeps, args: ViewArgs) {
  await submitCollection(deps, args, {
    kind: "pauseOrDispute",
    title: "collections.dispute.title",
    firstField: COLLECTION_FIELDS.reason,
    run: async ({ workspaceId, invoiceId, actor, values, number, locale }) => {
      const reason = fieldValue(values, COLLECTION_FIELDS.reason);
      const input = { workspaceId, invoiceId, reason, actor: auditActorOf(actor) };
      return disputeSavedText(await disputeInvoice(deps, input), number, locale);
    },
  });
}

export async function collectionPaymentSubmit(deps: ListenerDeps, args: ViewArgs) {
  await submitCollection(deps, args, {
    kind: "collect",
    title: "collections.payment.title",
    firstField: COLLECTION_FIELDS.amount,
    // The amount is read by the service in the invoice's currency (JPY 0 decimals, KWD 3).
    run: async ({ workspaceId, invoiceId, actor, values, number, locale }) => {
      const reference = fieldValue(values, COLLECTION_FIELDS.reference);
      const { payment, invoice, alreadyDone } = await recordPayment(contextFor(deps, workspaceId, actor), {
        invoiceId,
        amount: fieldValue(values, COLLECTION_FIELDS.amount),
        paidOn: fieldValue(values, COLLECTION_FIELDS.paidOn),
        ...(reference ? { reference } : {}),
      });
      const { amountMinor, currency } = payment;
      return paymentRecordedText(
        { alreadyDone, amountMinor, currency, openMinor: invoice.openMinor },
        number,
        locale,
      );
    },
  });
}

/** One transfer for several invoices of a client (`/aging` debtor → Record payment). */
export async function collectionClientPaymentSubmit(deps: ListenerDeps, { ack, view, context }: ViewArgs) {
  const amountBlock = COLLECTION_FIELDS.amount.block;
  const locale = localeOf(context);
  const target = ClientPaymentMetadata.safeParse(view.private_metadata);
  if (!target.success)
    return void (await ack({ response_action: "errors", errors: { [amountBlock]: outOfDateText(locale) } }));
  try {
    const values = view.state.values;
    const reference = fieldValue(values, COLLECTION_FIELDS.reference);
    const recorded = await recordClientPayment(ctxOf(deps, context), {
      client: target.data.c,
      currency: target.data.x,
      amount: fieldValue(values, COLLECTION_FIELDS.amount),
      paidOn: fieldValue(values, COLLECTION_FIELDS.paidOn),
      ...(reference ? { reference } : {}),
    });
    const done = clientPaymentRecordedText(recorded, locale);
    await ack({
      response_action: "update",
      view: buildMessageModal(t(locale, "collections.payment.title"), done, locale),
    });
  } catch (error) {
    const message = userMessageOf(error, deps, view.callback_id, locale);
    await ack({ response_action: "errors", errors: { [blockOfError(error, amountBlock)]: message } });
  }
}
