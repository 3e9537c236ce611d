// Opens a collections modal (alert buttons, the `/aging` menus): a loading view first, as the
// trigger_id lives 3 s, then the form once the actor is allowed, or the refusal in its place, in
// the reader's language.
import type { webApi } from "@slack/bolt";
import { type Locale, type MessageKey, t } from "../../i18n/index.ts";
import { ctxOf, type ListenerDeps, openModalAndFill } from "../../slack/kit/support.ts";
import {
  authorizeCollectionAction,
  type CollectionActionKind,
  type CollectionModalTarget,
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
  title: MessageKey;
  build: (target: CollectionModalTarget, today: string, locale: Locale) => ModalView;
};

const invoiceOf = (target: CollectionModalTarget, today: string, locale: Locale) => ({
  invoiceId: target.invoiceId,
  number: target.number ?? t(locale, "collections.invoice.this"),
  today,
  locale,
});

export const COLLECTION_MODALS = {
  [COLLECTION_ACTIONS.promiseToPay]: {
    kind: "collect",
    title: "collections.promise.title",
    build: (target, today, locale) => buildPromiseModal(invoiceOf(target, today, locale)),
  },
  [COLLECTION_ACTIONS.pause]: {
    kind: "pauseOrDispute",
    title: "collections.pause.title",
    build: (target, today, locale) => buildPauseModal(invoiceOf(target, today, locale)),
  },
  [COLLECTION_ACTIONS.dispute]: {
    kind: "pauseOrDispute",
    title: "collections.dispute.title",
    build: (target, today, locale) => buildDisputeModal(invoiceOf(target, today, locale)),
  },
  [COLLECTION_ACTIONS.recordPayment]: {
    kind: "collect",
    title: "collections.payment.title",
    build: (target, today, locale) =>
      buildRecordPaymentModal({
        ...invoiceOf(target, today, locale),
        openMinor: target.openMinor,
        currency: target.currency,
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
    invoiceId: string;
  },
): Promise<void> {
  const spec: ModalSpec = COLLECTION_MODALS[input.modal];
  await openModalAndFill(deps, client, {
    triggerId: input.triggerId,
    context: input.context,
    title: spec.title,
    where: input.modal,
    fill: async (locale) => {
      const target = await authorizeCollectionAction(ctxOf(deps, input.context), {
        invoiceId: input.invoiceId,
        kind: spec.kind,
      });
      return spec.build(target, deps.now().toISOString().slice(0, 10), locale);
    },
  });
}
