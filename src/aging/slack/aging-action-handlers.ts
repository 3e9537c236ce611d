// What the report's debtor and invoice menus and its Share, Export and Statement buttons do: ack,
// parse, one service, one view or line, in the reader's language (a shared copy in the workspace's).
// Slack posts and files go through the services' SlackPort.
import {
  buildClientPaymentModal,
  COLLECTION_ACTIONS,
  chooseDebtorInvoice,
  openCollectionModal,
  reminderNowText,
  sendClientStatement,
  sendReminderNow,
} from "../../collections/index.ts";
import type { Locale } from "../../i18n/index.ts";
import type { ActionArgs } from "../../slack/kit/handler.ts";
import { AgingButton, AgingMenuPick, ClickOrigin, channelOf, clickKeyOf } from "../../slack/kit/ids.ts";
import { slackPortOf } from "../../slack/kit/slack-port.ts";
import { ctxOf, type ListenerDeps, openModal, readerLocale, responder } from "../../slack/kit/support.ts";
import { buildAgingReport } from "../build-aging-report.ts";
import { sendAgingFile } from "../send-aging-file.ts";
import { shareAgingReport } from "../share-aging-report.ts";
import { dmReply, pickInvoiceMessage, shareReply, staleReply, statementReply } from "./aging-replies.ts";
import {
  agingMessageModel,
  agingRequestOf,
  buildAgingMessage,
  buildAgingSharedMessage,
  clientPaymentModalModel,
  summaryRequestOf,
} from "./aging-report.ts";

/**
 * Record payment opens the invoice's modal (a PM is refused in it, before the form, by the verb
 * that authorizes the modal); Send reminder sends the next level now.
 */
async function actOnInvoice(
  deps: ListenerDeps,
  { body, respond, context, client }: ActionArgs,
  input: { verb: "pay" | "remind"; invoiceId: string; locale: Locale },
) {
  if (input.verb === "remind") {
    const sent = await sendReminderNow(ctxOf(deps, context), { invoiceId: input.invoiceId });
    return responder(deps, respond, input.locale).notice(reminderNowText(sent, input.locale));
  }
  const { invoiceId } = input;
  const modal = COLLECTION_ACTIONS.recordPayment;
  await openCollectionModal(deps, client, { modal, triggerId: body.trigger_id, context, invoiceId });
}

/** A debtor's menu: View invoices (the report of that client), Send reminder, Record payment. */
export async function agingDebtorMenu(deps: ListenerDeps, args: ActionArgs) {
  const { ack, body, respond, context, client } = args;
  await ack();
  const locale = await readerLocale(context);
  const answer = responder(deps, respond, locale);
  const pick = AgingMenuPick.safeParse(body.actions[0]);
  if (!pick.success) return answer.notice(staleReply(locale));
  const {
    block_id: state,
    selected_option: { value: menu },
  } = pick.data;
  try {
    const ctx = ctxOf(deps, context);
    if (menu.verb === "invoices") {
      const ofClient = { ...agingRequestOf(state), clientId: menu.id, projectId: undefined };
      const shown = await buildAgingReport(ctx, summaryRequestOf(ofClient));
      return await answer.replace(buildAgingMessage(agingMessageModel(shown, locale)));
    }
    const choice = await chooseDebtorInvoice(ctx, { clientId: menu.id, verb: menu.verb });
    if (choice.kind === "clientPayment") {
      return void (await openModal(
        client,
        body.trigger_id,
        buildClientPaymentModal(clientPaymentModalModel(choice, deps.now(), locale)),
      ));
    }
    if (choice.kind === "pick")
      return await answer.notice(pickInvoiceMessage(menu.verb, choice, state, locale));
    await actOnInvoice(deps, args, { verb: menu.verb, invoiceId: choice.invoiceId, locale });
  } catch (error) {
    await answer.failure(error, "aging menu");
  }
}

/** An invoice's menu in a bucket's list: Send reminder, Record payment. */
export async function agingInvoiceMenu(deps: ListenerDeps, args: ActionArgs) {
  const { ack, body, respond, context } = args;
  await ack();
  const locale = await readerLocale(context);
  const answer = responder(deps, respond, locale);
  const pick = AgingMenuPick.safeParse(body.actions[0]);
  const menu = pick.data?.selected_option.value;
  if (!menu || menu.verb === "invoices") return answer.notice(staleReply(locale));
  try {
    await actOnInvoice(deps, args, { verb: menu.verb, invoiceId: menu.id, locale });
  } catch (error) {
    await answer.failure(error, "aging menu");
  }
}

/** Share in channel: the report as it is now, in the workspace's language, once per report message and person. */
export async function agingShare(deps: ListenerDeps, { ack, body, respond, context, client }: ActionArgs) {
  await ack();
  const locale = await readerLocale(context);
  const answer = responder(deps, respond, locale);
  const button = AgingButton.safeParse(body.actions[0]);
  const origin = ClickOrigin.safeParse(body);
  const channel = origin.success ? channelOf(origin.data) : undefined;
  if (!button.success || !origin.success || !channel) return answer.notice(staleReply(locale));
  try {
    const shared = await shareAgingReport(
      { ...ctxOf(deps, context), slack: slackPortOf(client) },
      {
        request: summaryRequestOf(agingRequestOf(button.data.value)),
        channel,
        clickKey: clickKeyOf(origin.data, "share"),
        render: (shown) => buildAgingSharedMessage(agingMessageModel(shown), body.user.id),
      },
    );
    await answer.notice(shareReply(shared.status, locale));
  } catch (error) {
    await answer.failure(error, "aging share");
  }
}

/** A button that sends a file of the report to the asker's DM with Cobro, once per report message. */
async function sendToDm(
  deps: ListenerDeps,
  { ack, body, respond, context, client }: ActionArgs,
  what: "export" | "trend",
) {
  await ack();
  const locale = await readerLocale(context);
  const answer = responder(deps, respond, locale);
  const button = AgingButton.safeParse(body.actions[0]);
  const origin = ClickOrigin.safeParse(body);
  if (!button.success || !origin.success) return answer.notice(staleReply(locale));
  try {
    const done = await sendAgingFile(
      { ...ctxOf(deps, context), slack: slackPortOf(client) },
      {
        file: what,
        request: agingRequestOf(button.data.value),
        clickKey: clickKeyOf(origin.data, what),
        locale,
      },
    );
    await answer.notice(dmReply(what, done.alreadyDone, locale));
  } catch (error) {
    await answer.failure(error, `aging ${what}`);
  }
}

/** The CSV of every client balance. */
export function agingExportCsv(deps: ListenerDeps, args: ActionArgs) {
  return sendToDm(deps, args, "export");
}

/** 12-month trend: a chart of the last 12 month-ends. */
export function agingTrend(deps: ListenerDeps, args: ActionArgs) {
  return sendToDm(deps, args, "trend");
}

/** Send under a statement's preview: at most one a day per client; a double click or a second collector is told it went. */
export async function agingStatement(deps: ListenerDeps, { ack, body, respond, context }: ActionArgs) {
  await ack();
  const locale = await readerLocale(context);
  const answer = responder(deps, respond, locale);
  const client = AgingButton.safeParse(body.actions[0]).data?.value.c;
  if (!client) return answer.notice(staleReply(locale));
  try {
    const sent = await sendClientStatement(ctxOf(deps, context), { client });
    await answer.replace({ text: statementReply(sent, locale) });
  } catch (error) {
    await answer.failure(error, "aging statement");
  }
}
