// Opens a collections modal (alert buttons, the `/aging` menus): a loading view first, as the
// trigger_id lives 3 s, then the form once the actor is allowed, or the refusal in its place.
import type { webApi } from "@slack/bolt";
import { formatMoney, toDecimalString } from "../../domain/money.ts";
// Not in the catalogues yet: the modal stays whole in English (its title and labels are English too).
import { DEFAULT_LOCALE } from "../../i18n/index.ts";
import {
  actorOf,
  type ListenerDeps,
  openModal,
  updateModal,
  userMessageOf,
  workspaceIdOf,
} from "../../slack/kit/support.ts";
import { buildLoadingModal, buildMessageModal } from "../../workspace/index.ts";
import {
  authorizeCollectionAction,
  type CollectionActionKind,
  type CollectionTarget,
} from "../authorize-collection-action.ts";
import {
  buildDisputeModal,
  buildPauseModal,
  buildPromiseModal,
  buildRecordPaymentModal,
  COLLECTION_ACTIONS,
} from "./collections-view.ts";

type ModalView = Parameters<webApi.WebClient["views"]["open"]>[0]["view"];

type ModalSpec = {
  kind: CollectionActionKind;
  title: string;
  build: (target: CollectionTarget, today: string) => ModalView;
};

export const COLLECTION_MODALS = {
  [COLLECTION_ACTIONS.promiseToPay]: {
    kind: "collect",
    title: "Promise to pay",
    build: (t, today) => buildPromiseModal({ invoiceId: t.invoiceId, number: t.number, today }),
  },
  [COLLECTION_ACTIONS.pause]: {
    kind: "pauseOrDispute",
    title: "Pause reminders",
    build: (t, today) => buildPauseModal({ invoiceId: t.invoiceId, number: t.number, today }),
  },
  [COLLECTION_ACTIONS.dispute]: {
    kind: "pauseOrDispute",
    title: "Dispute",
    build: (t) => buildDisputeModal({ invoiceId: t.invoiceId, number: t.number }),
  },
  [COLLECTION_ACTIONS.recordPayment]: {
    kind: "collect",
    title: "Record payment",
    build: (t, today) =>
      buildRecordPaymentModal({
        invoiceId: t.invoiceId,
        number: t.number,
        openText: formatMoney({ amountMinor: t.openMinor, currency: t.currency }, t.locale),
        openDecimal: toDecimalString(t.openMinor, t.currency),
        currency: t.currency,
        today,
      }),
  },
} satisfies Record<string, ModalSpec>;

export type CollectionModal = keyof typeof COLLECTION_MODALS;

export async function openCollectionModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: {
    modal: CollectionModal;
    triggerId: string;
    context: Record<string, unknown>;
    slackUserId: string;
    invoiceId: string;
  },
): Promise<void> {
  const spec: ModalSpec = COLLECTION_MODALS[input.modal];
  const viewId = await openModal(client, input.triggerId, buildLoadingModal(spec.title, DEFAULT_LOCALE));
  let view: ModalView;
  try {
    const actor = await actorOf(deps, input.context, input.slackUserId);
    const target = await authorizeCollectionAction(deps, {
      workspaceId: workspaceIdOf(input.context),
      invoiceId: input.invoiceId,
      actor,
      kind: spec.kind,
    });
    view = spec.build(target, deps.now().toISOString().slice(0, 10));
  } catch (error) {
    view = buildMessageModal(
      spec.title,
      `:no_entry: ${userMessageOf(error, deps, input.modal)}`,
      DEFAULT_LOCALE,
    );
  }
  await updateModal(client, viewId, view);
}
