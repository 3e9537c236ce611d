// Buttons on overdue alerts, heads-ups and the formal-notice approval, and their modals:
// Record payment, Send reminder now, Promise to pay, Pause, Dispute, Assign to me, Approve.
import type { App, BlockAction, ButtonAction, ViewSubmitAction } from "@slack/bolt";
import { parseAmount } from "../../domain/money.ts";
import type { Actor } from "../../domain/permissions.ts";
import { approveFormalNotice } from "../../services/approve-formal-notice.ts";
import { assignCollector } from "../../services/assign-collector.ts";
import { disputeInvoice } from "../../services/dispute-invoice.ts";
import { pauseCollection } from "../../services/pause-collection.ts";
import { promiseToPay } from "../../services/promise-to-pay.ts";
import { recordPayment } from "../../services/record-payment.ts";
import { sendReminderNow } from "../../services/send-reminder-now.ts";
import { decodeInvoiceValue } from "../ids.ts";
import {
  buildDisputeModal,
  buildPauseModal,
  buildPromiseModal,
  buildRecordPaymentModal,
  COLLECTION_ACTIONS,
  COLLECTION_CALLBACKS,
  COLLECTION_FIELDS,
} from "../views/collections.ts";
import { buildErrorReply, buildTextReply, type Reply } from "../views/replies.ts";
import { actorOf, type ListenerDeps, userMessageOf, workspaceIdOf } from "./support.ts";

type ButtonBody = BlockAction<ButtonAction>;
type Respond = (message: Record<string, unknown>) => Promise<unknown>;

const OUT_OF_DATE = "This button is out of date: use the newest message.";
const auditActor = (actor: Actor) => actor.memberId ?? `slack:${actor.slackUserId}`;

async function reply(respond: Respond, message: Reply): Promise<void> {
  await respond({ response_type: "ephemeral", replace_original: false, ...message });
}

type ViewState = Record<string, Record<string, { value?: string | null; selected_date?: string | null }>>;
const field = (state: ViewState, f: { block: string; action: string }) => {
  const entry = state[f.block]?.[f.action];
  return (entry?.selected_date ?? entry?.value ?? "").trim();
};

export function registerCollectionsListeners(app: App, deps: ListenerDeps): void {
  const today = () => deps.now().toISOString().slice(0, 10);

  // Modals open first (the trigger_id lives 3 s); the service runs on submit.
  const openModal = (
    actionId: string,
    build: (invoiceId: string) => Parameters<App["client"]["views"]["open"]>[0]["view"],
  ) =>
    app.action<ButtonBody>(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      const value = decodeInvoiceValue(action.value);
      if (!value) return reply(respond, buildErrorReply(OUT_OF_DATE));
      await client.views
        .open({ trigger_id: body.trigger_id, view: build(value.invoiceId) })
        .catch((error: unknown) => {
          deps.logger.warn({ err: error }, "collections modal did not open");
        });
    });

  openModal(COLLECTION_ACTIONS.promiseToPay, (invoiceId) =>
    buildPromiseModal({ invoiceId, number: "this invoice", today: today() }),
  );
  openModal(COLLECTION_ACTIONS.pause, (invoiceId) =>
    buildPauseModal({ invoiceId, number: "this invoice", today: today() }),
  );
  openModal(COLLECTION_ACTIONS.dispute, (invoiceId) =>
    buildDisputeModal({ invoiceId, number: "this invoice" }),
  );
  openModal(COLLECTION_ACTIONS.recordPayment, (invoiceId) =>
    buildRecordPaymentModal({
      invoiceId,
      number: "This invoice",
      openText: "see the alert for the",
      openDecimal: "",
      today: today(),
    }),
  );

  // One-click actions: ack, call one service, answer ephemerally.
  const click = (
    actionId: string,
    run: (input: { workspaceId: string; invoiceId: string; actor: Actor }) => Promise<string>,
  ) =>
    app.action<ButtonBody>(actionId, async ({ ack, body, action, respond, context }) => {
      await ack();
      try {
        const value = decodeInvoiceValue(action.value);
        if (!value) return await reply(respond, buildErrorReply(OUT_OF_DATE));
        const actor = await actorOf(deps, context, body.user.id);
        const text = await run({ workspaceId: workspaceIdOf(context), invoiceId: value.invoiceId, actor });
        await reply(respond, buildTextReply(text));
      } catch (error) {
        await reply(respond, buildErrorReply(userMessageOf(error, deps, actionId))).catch(() => {});
      }
    });

  click(COLLECTION_ACTIONS.sendReminderNow, async ({ workspaceId, invoiceId, actor }) => {
    const result = await sendReminderNow(deps, { workspaceId, invoiceId, actor: auditActor(actor) });
    return result.alreadyDone
      ? `Reminder #${result.level} already went today: nothing sent again.`
      : `:email: Reminder #${result.level} is on its way to the client.`;
  });
  click(COLLECTION_ACTIONS.assignToMe, async ({ workspaceId, invoiceId, actor }) => {
    const result = await assignCollector(deps, {
      workspaceId,
      invoiceId,
      memberId: actor.memberId,
      actor: auditActor(actor),
    });
    return result.alreadyDone
      ? "You already collect this invoice."
      : ":raising_hand: You now collect this invoice.";
  });
  click(COLLECTION_ACTIONS.approveFormal, async ({ workspaceId, invoiceId, actor }) => {
    const result = await approveFormalNotice(deps, {
      workspaceId,
      invoiceId,
      memberId: actor.memberId,
      actor: auditActor(actor),
    });
    return result.alreadyDone
      ? "The formal notice was already approved: nothing sent again."
      : ":scales: Formal notice approved and on its way to the client.";
  });

  // Modal submissions: field errors stay in the modal; a result closes it.
  const submit = (
    callbackId: string,
    run: (input: { workspaceId: string; invoiceId: string; actor: Actor; state: ViewState }) => Promise<void>,
  ) =>
    app.view<ViewSubmitAction>(callbackId, async ({ ack, body, view, context }) => {
      const value = decodeInvoiceValue(view.private_metadata);
      if (!value) return void (await ack({ response_action: "errors", errors: {} }));
      try {
        const actor = await actorOf(deps, context, body.user.id);
        await run({
          workspaceId: workspaceIdOf(context),
          invoiceId: value.invoiceId,
          actor,
          state: view.state.values as ViewState,
        });
        await ack();
      } catch (error) {
        const message = userMessageOf(error, deps, callbackId);
        const block = firstBlock(view.blocks);
        await ack({ response_action: "errors", errors: block ? { [block]: message } : {} });
      }
    });

  submit(COLLECTION_CALLBACKS.promiseToPay, async ({ workspaceId, invoiceId, actor, state }) => {
    await promiseToPay(deps, {
      workspaceId,
      invoiceId,
      promisedOn: field(state, COLLECTION_FIELDS.promisedOn),
      actor: auditActor(actor),
    });
  });
  submit(COLLECTION_CALLBACKS.pause, async ({ workspaceId, invoiceId, actor, state }) => {
    await pauseCollection(deps, {
      workspaceId,
      invoiceId,
      until: field(state, COLLECTION_FIELDS.until),
      reason: field(state, COLLECTION_FIELDS.reason),
      actor: auditActor(actor),
    });
  });
  submit(COLLECTION_CALLBACKS.dispute, async ({ workspaceId, invoiceId, actor, state }) => {
    await disputeInvoice(deps, {
      workspaceId,
      invoiceId,
      reason: field(state, COLLECTION_FIELDS.reason),
      actor: auditActor(actor),
    });
  });
  submit(COLLECTION_CALLBACKS.recordPayment, async ({ workspaceId, invoiceId, actor, state }) => {
    // The currency of the invoice is enforced by the service; amounts are typed in major units.
    const reference = field(state, COLLECTION_FIELDS.reference);
    await recordPayment(deps, {
      workspaceId,
      invoiceId,
      amountMinor: parseAmount(field(state, COLLECTION_FIELDS.amount), "EUR"),
      paidOn: field(state, COLLECTION_FIELDS.paidOn),
      actor: auditActor(actor),
      ...(reference ? { reference } : {}),
      ...(actor.memberId ? { recordedByMemberId: actor.memberId } : {}),
    });
  });
}

function firstBlock(blocks: { type: string; block_id?: string }[]): string | undefined {
  return blocks.find((b) => b.type === "input")?.block_id;
}
