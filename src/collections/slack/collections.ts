// Buttons on overdue alerts, heads-ups and the formal-notice approval, and their modals:
// Record payment, Send reminder now, Promise to pay, Pause, Dispute, Assign to me, Approve.
import type { App, BlockAction, ButtonAction, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { isDomainError } from "../../domain/errors.ts";
import { type Actor, assertAllowed } from "../../domain/permissions.ts";
import { recordClientPayment, recordPayment } from "../../invoicing/index.ts";
import { decodeInvoiceValue } from "../../slack/kit/ids.ts";
import { buildErrorReply, buildTextReply, type Reply } from "../../slack/kit/replies.ts";
import {
  actorOf,
  errorReply,
  type ListenerDeps,
  logReplyFailure,
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
import { remindInvoiceNow } from "../remind-invoice-now.ts";
import { reminderNowText } from "./collection-replies.ts";
import { COLLECTION_ACTIONS, COLLECTION_CALLBACKS, COLLECTION_FIELDS } from "./collections-view.ts";
import { COLLECTION_MODALS, type CollectionModal, openCollectionModal } from "./open-collection-modal.ts";

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

const ClientPaymentTarget = z.object({ c: z.uuid(), x: z.string().regex(/^[A-Z]{3}$/) });

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? "");
  } catch {
    return null;
  }
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

export function registerCollectionsListeners(app: App, deps: ListenerDeps): void {
  for (const modalAction of Object.keys(COLLECTION_MODALS) as CollectionModal[]) {
    app.action<ButtonBody>(modalAction, async ({ ack, body, action, client, respond, context }) => {
      await ack();
      const value = decodeInvoiceValue(action.value);
      if (!value) return reply(respond, buildErrorReply(OUT_OF_DATE));
      await openCollectionModal(deps, client, {
        modal: modalAction,
        triggerId: body.trigger_id,
        context,
        slackUserId: body.user.id,
        invoiceId: value.invoiceId,
      }).catch((error: unknown) => {
        deps.logger.warn({ err: error }, "collections modal did not open");
      });
    });
  }

  // One-click actions: ack, call one service, answer ephemerally.
  const click = (
    actionId: string,
    run: (input: { workspaceId: string; invoiceId: string; actor: Actor }) => Promise<string>,
  ) =>
    app.action<ButtonBody>(actionId, async ({ ack, body, action, respond, context, client }) => {
      await ack();
      // From the App Home there is no response_url: the answer goes in a small modal instead.
      const answer = (message: Reply) =>
        body.response_url
          ? reply(respond, message)
          : client.views
              .open({ trigger_id: body.trigger_id, view: buildMessageModal("Cobro", message.text) })
              .then(() => {});
      try {
        const value = decodeInvoiceValue(action.value);
        if (!value) return await answer(buildErrorReply(OUT_OF_DATE));
        const actor = await actorOf(deps, context, body.user.id);
        const text = await run({ workspaceId: workspaceIdOf(context), invoiceId: value.invoiceId, actor });
        await answer(buildTextReply(text));
      } catch (error) {
        await answer(errorReply(error, deps, actionId)).catch(logReplyFailure(deps, "reply"));
      }
    });

  click(COLLECTION_ACTIONS.sendReminderNow, async (input) =>
    reminderNowText(await remindInvoiceNow(deps, input)),
  );
  click(COLLECTION_ACTIONS.assignToMe, async ({ workspaceId, invoiceId, actor }) => {
    await authorizeCollectionAction(deps, { workspaceId, invoiceId, actor, kind: "collect" });
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

  // Modal submissions: refusals and bad input stay in the modal next to their field; a result
  // closes it. The permission is checked again: a modal can outlive a role.
  const submit = (
    callbackId: string,
    kind: CollectionActionKind,
    firstField: { block: string },
    run: (input: { workspaceId: string; invoiceId: string; actor: Actor; state: ViewState }) => Promise<void>,
  ) =>
    app.view<ViewSubmitAction>(callbackId, async ({ ack, body, view, context }) => {
      const value = decodeInvoiceValue(view.private_metadata);
      if (!value) {
        return void (await ack({ response_action: "errors", errors: { [firstField.block]: OUT_OF_DATE } }));
      }
      try {
        const actor = await actorOf(deps, context, body.user.id);
        const workspaceId = workspaceIdOf(context);
        await authorizeCollectionAction(deps, { workspaceId, invoiceId: value.invoiceId, actor, kind });
        await run({ workspaceId, invoiceId: value.invoiceId, actor, state: view.state.values as ViewState });
        await ack();
      } catch (error) {
        const message = userMessageOf(error, deps, callbackId);
        await ack({
          response_action: "errors",
          errors: { [blockOfError(error, firstField.block)]: message },
        });
      }
    });

  submit(
    COLLECTION_CALLBACKS.promiseToPay,
    "collect",
    COLLECTION_FIELDS.promisedOn,
    async ({ workspaceId, invoiceId, actor, state }) => {
      await promiseToPay(deps, {
        workspaceId,
        invoiceId,
        promisedOn: field(state, COLLECTION_FIELDS.promisedOn),
        actor: auditActor(actor),
      });
    },
  );
  submit(
    COLLECTION_CALLBACKS.pause,
    "pauseOrDispute",
    COLLECTION_FIELDS.until,
    async ({ workspaceId, invoiceId, actor, state }) => {
      await pauseCollection(deps, {
        workspaceId,
        invoiceId,
        until: field(state, COLLECTION_FIELDS.until),
        reason: field(state, COLLECTION_FIELDS.reason),
        actor: auditActor(actor),
      });
    },
  );
  submit(
    COLLECTION_CALLBACKS.dispute,
    "pauseOrDispute",
    COLLECTION_FIELDS.reason,
    async ({ workspaceId, invoiceId, actor, state }) => {
      await disputeInvoice(deps, {
        workspaceId,
        invoiceId,
        reason: field(state, COLLECTION_FIELDS.reason),
        actor: auditActor(actor),
      });
    },
  );
  // One transfer for several invoices of a client (`/aging` debtor → Record payment).
  app.view<ViewSubmitAction>(COLLECTION_CALLBACKS.clientPayment, async ({ ack, body, view, context }) => {
    const target = ClientPaymentTarget.safeParse(parseJson(view.private_metadata));
    const amountBlock = COLLECTION_FIELDS.amount.block;
    if (!target.success) {
      return void (await ack({ response_action: "errors", errors: { [amountBlock]: OUT_OF_DATE } }));
    }
    try {
      const actor = await actorOf(deps, context, body.user.id);
      assertAllowed(actor, { action: "collect" });
      const state = view.state.values as ViewState;
      const reference = field(state, COLLECTION_FIELDS.reference);
      await recordClientPayment(deps, {
        workspaceId: workspaceIdOf(context),
        client: target.data.c,
        currency: target.data.x,
        amount: field(state, COLLECTION_FIELDS.amount),
        paidOn: field(state, COLLECTION_FIELDS.paidOn),
        actor: auditActor(actor),
        ...(reference ? { reference } : {}),
      });
      await ack();
    } catch (error) {
      const message = userMessageOf(error, deps, COLLECTION_CALLBACKS.clientPayment);
      await ack({ response_action: "errors", errors: { [blockOfError(error, amountBlock)]: message } });
    }
  });
  submit(
    COLLECTION_CALLBACKS.recordPayment,
    "collect",
    COLLECTION_FIELDS.amount,
    async ({ workspaceId, invoiceId, actor, state }) => {
      // The amount is read by the service in the invoice's currency (JPY 0 decimals, KWD 3).
      const reference = field(state, COLLECTION_FIELDS.reference);
      await recordPayment(deps, {
        workspaceId,
        invoiceId,
        amount: field(state, COLLECTION_FIELDS.amount),
        paidOn: field(state, COLLECTION_FIELDS.paidOn),
        actor: auditActor(actor),
        ...(reference ? { reference } : {}),
        ...(actor.memberId ? { recordedByMemberId: actor.memberId } : {}),
      });
    },
  );
}
