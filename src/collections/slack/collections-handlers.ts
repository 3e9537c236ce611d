// Buttons on overdue alerts, heads-ups and the formal-notice approval, and their modals: Record
// payment, Send reminder now, Promise to pay, Pause, Dispute, Assign to me, Approve.
import { isDomainError } from "../../domain/errors.ts";
import { type Locale, t } from "../../i18n/index.ts";
import { recordClientPayment, recordPayment } from "../../invoicing/index.ts";
import type { ActionArgs, ViewArgs } from "../../slack/kit/handler.ts";
import {
  ClientPaymentMetadata,
  COLLECTION_FIELDS,
  CollectionModalButton,
  InvoiceButton,
  InvoiceValueText,
} from "../../slack/kit/ids.ts";
import { buildErrorReply, buildTextReply, errorReply, type Reply } from "../../slack/kit/replies.ts";
import {
  ctxOf,
  fieldValue,
  type ListenerDeps,
  localeOf,
  logReplyFailure,
  openModal,
  readerLocale,
  responder,
  userMessageOf,
} from "../../slack/kit/support.ts";
import { buildMessageModal } from "../../workspace/index.ts";
import { approveFormalNotice } from "../approve-formal-notice.ts";
import { assignCollector } from "../assign-collector.ts";
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

type SlackRequestCtx = ReturnType<typeof ctxOf>;

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
  const open = { modal, triggerId: body.trigger_id, context, invoiceId };
  await openCollectionModal(deps, client, open).catch((error: unknown) => {
    deps.logger.warn({ err: error }, "collections modal did not open");
  });
}

/** A one-click action: ack, call one service, answer ephemerally (from the App Home, in a small modal). */
async function answerClick(
  deps: ListenerDeps,
  args: ActionArgs,
  run: (ctx: SlackRequestCtx, invoiceId: string, locale: Locale) => Promise<string>,
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
    await answer(buildTextReply(await run(ctxOf(deps, context), button.data.value, locale)));
  } catch (error) {
    await answer(errorReply(error, deps, where, locale)).catch(logReplyFailure(deps, "reply"));
  }
}

export async function collectionRemindNow(deps: ListenerDeps, args: ActionArgs) {
  await answerClick(deps, args, async (ctx, invoiceId, locale) =>
    reminderNowText(await sendReminderNow(ctx, { invoiceId }), locale),
  );
}

export async function collectionAssignToMe(deps: ListenerDeps, args: ActionArgs) {
  await answerClick(deps, args, async (ctx, invoiceId, locale) =>
    assignedText(await assignCollector(ctx, { invoiceId, memberId: ctx.actor.memberId }), locale),
  );
}

export async function collectionApproveFormal(deps: ListenerDeps, args: ActionArgs) {
  await answerClick(deps, args, async (ctx, invoiceId, locale) =>
    formalNoticeText(await approveFormalNotice(ctx, { invoiceId }), locale),
  );
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

/** What a collections modal does once submitted: call its one service, say what was done. */
type Submission = (
  ctx: SlackRequestCtx,
  invoiceId: string,
  field: (f: { block: string; action: string }) => string,
  locale: Locale,
) => Promise<string>;

/**
 * A collections modal submitted: refusals (the service checks who may, as a modal can outlive a
 * role) and bad input stay in the modal next to their field; a result replaces it with what was done.
 */
async function submitCollection(
  deps: ListenerDeps,
  { ack, view, context }: ViewArgs,
  modal: keyof typeof SUBMISSIONS,
) {
  const locale = localeOf(context);
  const firstField = FIRST_FIELD[modal].block;
  const invoiceId = InvoiceValueText.safeParse(view.private_metadata);
  if (!invoiceId.success) {
    return void (await ack({ response_action: "errors", errors: { [firstField]: outOfDateText(locale) } }));
  }
  try {
    const field = (f: { block: string; action: string }) => fieldValue(view.state.values, f);
    const done = await SUBMISSIONS[modal](ctxOf(deps, context), invoiceId.data, field, locale);
    await ack({
      response_action: "update",
      view: buildMessageModal(t(locale, `collections.${modal}.title`), done, locale),
    });
  } catch (error) {
    const message = userMessageOf(error, deps, view.callback_id, locale);
    await ack({ response_action: "errors", errors: { [blockOfError(error, firstField)]: message } });
  }
}

const { promisedOn, until, reason, amount, paidOn, reference } = COLLECTION_FIELDS;

/** Where a refusal that names no input of the modal is shown. */
const FIRST_FIELD = { promise: promisedOn, pause: until, dispute: reason, payment: amount };

const SUBMISSIONS = {
  promise: async (ctx, invoiceId, field, locale) =>
    promiseSavedText(await promiseToPay(ctx, { invoiceId, promisedOn: field(promisedOn) }), locale),
  pause: async (ctx, invoiceId, field, locale) => {
    const pause = { invoiceId, until: field(until), reason: field(reason) };
    return pauseSavedText(await pauseCollection(ctx, pause), locale);
  },
  dispute: async (ctx, invoiceId, field, locale) =>
    disputeSavedText(await disputeInvoice(ctx, { invoiceId, reason: field(reason) }), locale),
  // The amount is read by the service in the invoice's currency (JPY 0 decimals, KWD 3).
  payment: async (ctx, invoiceId, field, locale) => {
    const typed = { invoiceId, amount: field(amount), paidOn: field(paidOn) };
    const ref = field(reference);
    const recorded = await recordPayment(ctx, ref ? { ...typed, reference: ref } : typed);
    const { payment, invoice, alreadyDone } = recorded;
    const number = invoice.number ?? t(locale, "collections.invoice.this");
    const { amountMinor, currency } = payment;
    const result = { alreadyDone, amountMinor, currency, openMinor: invoice.openMinor };
    return paymentRecordedText(result, number, locale);
  },
} satisfies Record<string, Submission>;

export async function collectionPromiseSubmit(deps: ListenerDeps, args: ViewArgs) {
  await submitCollection(deps, args, "promise");
}

export async function collectionPauseSubmit(deps: ListenerDeps, args: ViewArgs) {
  await submitCollection(deps, args, "pause");
}

export async function collectionDisputeSubmit(deps: ListenerDeps, args: ViewArgs) {
  await submitCollection(deps, args, "dispute");
}

export async function collectionPaymentSubmit(deps: ListenerDeps, args: ViewArgs) {
  await submitCollection(deps, args, "payment");
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
