// Collections messages and modals: overdue digests with one-click actions, the PM's heads-up, the
// formal-notice approval, broken promises, call tasks, dispute notices. Pure: model in, blocks out.
import type { types } from "@slack/bolt";
import { formatMoney, toTypedAmount } from "../../domain/money.ts";
import { calendarDate, DEFAULT_LOCALE, isLocale, type Locale, t } from "../../i18n/index.ts";
import {
  actions,
  type Block,
  button,
  capBlocks,
  context,
  divider,
  escapeMrkdwn,
  header,
  LIMITS,
  type ModalView,
  modal,
  plain,
  section,
} from "../../slack/kit/blocks.ts";
import {
  COLLECTION_ACTIONS,
  COLLECTION_CALLBACKS,
  COLLECTION_FIELDS,
  encodeInvoiceValue,
} from "../../slack/kit/ids.ts";
import { md } from "../../slack/kit/support.ts";

export { COLLECTION_ACTIONS, COLLECTION_CALLBACKS, COLLECTION_FIELDS };

export type InvoiceLine = {
  invoiceId: string;
  number: string;
  clientName: string;
  projectName: string | null;
  openMinor: number;
  currency: string;
  dueDate: string;
  daysPastDue: number;
  /** Already settled, disputed… since the scan: shown, without buttons. */
  note?: string;
};

const money = (amountMinor: number, currency: string, locale: string) =>
  formatMoney({ amountMinor, currency }, locale);

/** Workspace locales are strings in older models: anything Cobro does not speak reads as English. */
const readerOf = (locale: string): Locale => (isLocale(locale) ? locale : DEFAULT_LOCALE);

/** The notes the jobs put on a line ("paid since", "disputed", "paused until <date>"), in the reader's words. */
function noteText(note: string, locale: Locale): string {
  if (note === "paid since") return t(locale, "collections.note.paid_since");
  if (note === "disputed") return t(locale, "collections.note.disputed");
  const paused = /^paused until (\d{4}-\d{2}-\d{2})$/.exec(note);
  if (paused?.[1]) return t(locale, "collections.note.paused_until", { date: calendarDate(paused[1]) });
  return note;
}

function invoiceText(line: InvoiceLine, localeTag: string): string {
  const locale = readerOf(localeTag);
  const project = line.projectName ? ` · ${escapeMrkdwn(line.projectName)}` : "";
  const due = calendarDate(line.dueDate);
  const late =
    line.daysPastDue > 0
      ? t(locale, "collections.invoice.late", { days: line.daysPastDue })
      : t(locale, "collections.invoice.due", { due });
  const note = line.note ? ` · _${escapeMrkdwn(noteText(line.note, locale))}_` : "";
  const open = t(locale, "collections.invoice.open", {
    amount: { amountMinor: line.openMinor, currency: line.currency },
    late,
    due,
  });
  return `*${escapeMrkdwn(line.number)}* · ${escapeMrkdwn(line.clientName)}${project}\n${open}${note}`;
}

/** The buttons every overdue alert carries. */
export function collectionButtons(
  invoiceId: string,
  locale: Locale = DEFAULT_LOCALE,
): types.ActionsBlockElement[] {
  const value = encodeInvoiceValue({ invoiceId });
  return [
    button(
      t(locale, "collections.button.record_payment"),
      COLLECTION_ACTIONS.recordPayment,
      value,
      "primary",
    ),
    button(t(locale, "collections.button.send_reminder"), COLLECTION_ACTIONS.sendReminderNow, value),
    button(t(locale, "collections.button.promise"), COLLECTION_ACTIONS.promiseToPay, value),
    button(t(locale, "collections.button.pause"), COLLECTION_ACTIONS.pause, value),
    button(t(locale, "collections.button.dispute"), COLLECTION_ACTIONS.dispute, value, "danger"),
    button(t(locale, "collections.button.assign"), COLLECTION_ACTIONS.assignToMe, value),
  ];
}

export type OverdueDigestModel = {
  runDate: string;
  locale: string;
  audience: string;
  invoices: InvoiceLine[];
};

/** Invoices shown with their buttons; the rest are summarised (a message holds 50 blocks). */
export const DIGEST_INVOICES_WITH_BUTTONS = 15;

export function buildOverdueDigest(model: OverdueDigestModel): { text: string; blocks: Block[] } {
  const locale = readerOf(model.locale);
  const count = model.invoices.length;
  const totals = new Map<string, number>();
  for (const line of model.invoices)
    totals.set(line.currency, (totals.get(line.currency) ?? 0) + line.openMinor);
  const totalText = [...totals.entries()].map(([c, a]) => money(a, c, locale)).join(" + ");
  const title = t(locale, "collections.digest.title", { count });
  const blocks: Block[] = [
    header(`:warning: ${title}`),
    section(
      t(locale, "collections.digest.summary", {
        audience: model.audience,
        total: totalText,
        runDate: calendarDate(model.runDate),
      }),
    ),
  ];
  const shown = model.invoices.slice(0, DIGEST_INVOICES_WITH_BUTTONS);
  for (const line of shown) {
    blocks.push(divider(), section(invoiceText(line, locale)));
    if (!line.note)
      blocks.push(actions(collectionButtons(line.invoiceId, locale), `collection:${line.invoiceId}`));
  }
  const hidden = count - shown.length;
  if (hidden > 0) blocks.push(divider(), context(t(locale, "collections.digest.more", { count: hidden })));
  return {
    text: t(locale, "collections.digest.text", { title, total: totalText }).slice(0, LIMITS.messageText),
    blocks: capBlocks(blocks, LIMITS.messageBlocks, (n) =>
      t(locale, "collections.digest.more_blocks", { count: n }),
    ),
  };
}

/**
 * The PM's heads-up the day before several reminders go out, in one DM: each invoice with its
 * level and the buttons to hold it (the first ones; the rest counted).
 */
export function buildReminderHeadsUps(model: {
  reminders: { line: InvoiceLine; level: number; tone: string }[];
  sendOn: string;
  locale: string;
}): { text: string; blocks: Block[] } {
  const locale = readerOf(model.locale);
  const count = model.reminders.length;
  const text = t(locale, "collections.heads_up.many_text", { count, sendOn: calendarDate(model.sendOn) });
  const blocks: Block[] = [section(`:bell: ${text}`), context(t(locale, "collections.heads_up.hint"))];
  const shown = model.reminders.slice(0, DIGEST_INVOICES_WITH_BUTTONS);
  for (const { line, level, tone } of shown) {
    const reminder = t(locale, "collections.heads_up.item", { level, tone });
    blocks.push(divider(), section(`*${reminder}*\n${invoiceText(line, locale)}`));
    blocks.push(actions(holdButtons(line.invoiceId, locale), `collection:${line.invoiceId}`));
  }
  const hidden = count - shown.length;
  if (hidden > 0) blocks.push(divider(), context(t(locale, "collections.heads_up.more", { count: hidden })));
  return {
    text: text.slice(0, LIMITS.messageText),
    blocks: capBlocks(blocks, LIMITS.messageBlocks, (n) =>
      t(locale, "collections.digest.more_blocks", { count: n }),
    ),
  };
}

/** The PM's heads-up the day before a reminder, in the PM's language. */
export function buildReminderHeadsUp(model: {
  line: InvoiceLine;
  level: number;
  tone: string;
  sendOn: string;
  locale: string;
}): { text: string; blocks: Block[] } {
  const locale = readerOf(model.locale);
  const text = md(locale, "collections.heads_up.text", {
    sendOn: calendarDate(model.sendOn),
    client: model.line.clientName,
    level: model.level,
    tone: model.tone,
    number: model.line.number,
  });
  return {
    text,
    blocks: [
      section(`:bell: ${text}`),
      section(invoiceText(model.line, locale)),
      context(t(locale, "collections.heads_up.hint")),
      actions(holdButtons(model.line.invoiceId, locale)),
    ],
  };
}

export type InterestModel = {
  interestMinor: number;
  compensationMinor: number;
  currency: string;
  asOf: string;
  problem?: string;
  missingRate?: { jurisdiction: string; year: string; half: number };
};

export function interestSentence(interest: InterestModel | undefined, localeTag: string): string {
  if (!interest) return "";
  const locale = readerOf(localeTag);
  if (interest.missingRate) return t(locale, "collections.interest.not_computed_rate", interest.missingRate);
  if (interest.problem) return t(locale, "collections.interest.not_computed", { problem: interest.problem });
  return t(locale, "collections.interest.claims", {
    interest: { amountMinor: interest.interestMinor, currency: interest.currency },
    asOf: calendarDate(interest.asOf),
    compensation: { amountMinor: interest.compensationMinor, currency: "EUR" },
    withCompensation: interest.compensationMinor > 0 ? "yes" : "no",
  });
}

/** The formal notice waits for collections' approval (channel: the workspace's language). */
export function buildFormalNoticeApproval(model: {
  line: InvoiceLine;
  level: number;
  interest?: InterestModel;
  locale: string;
}): { text: string; blocks: Block[] } {
  const locale = readerOf(model.locale);
  const text = md(locale, "collections.formal.text", {
    number: model.line.number,
    client: model.line.clientName,
  });
  const unpaid = t(locale, "collections.formal.unpaid", { count: model.level - 1 });
  const value = encodeInvoiceValue({ invoiceId: model.line.invoiceId });
  return {
    text,
    blocks: [
      header(`:scales: ${t(locale, "collections.formal.title")}`),
      section(invoiceText(model.line, locale)),
      section(`${unpaid} ${escapeMrkdwn(interestSentence(model.interest, locale))}`.trim()),
      actions([
        button(
          t(locale, "collections.button.approve_formal"),
          COLLECTION_ACTIONS.approveFormal,
          value,
          "primary",
        ),
        ...holdButtons(model.line.invoiceId, locale),
      ]),
    ],
  };
}

const HOLD_BUTTONS = new Set<string>([
  COLLECTION_ACTIONS.pause,
  COLLECTION_ACTIONS.dispute,
  COLLECTION_ACTIONS.recordPayment,
]);

/** Before a reminder or notice goes: record what was paid, or hold it (pause, dispute). */
function holdButtons(invoiceId: string, locale: Locale): types.ActionsBlockElement[] {
  return collectionButtons(invoiceId, locale).filter((b) => HOLD_BUTTONS.has(b.action_id ?? ""));
}

/** A notice about one invoice: its sentence, the invoice, and the collections buttons. */
function invoiceNotice(emoji: string, text: string, line: InvoiceLine, locale: Locale) {
  return {
    text,
    blocks: [
      section(`${emoji} ${text}`),
      section(invoiceText(line, locale)),
      actions(collectionButtons(line.invoiceId, locale)),
    ],
  };
}

export function buildPromiseBroken(model: { line: InvoiceLine; promisedOn: string; locale: string }) {
  const locale = readerOf(model.locale);
  const text = md(locale, "collections.promise_broken.text", {
    client: model.line.clientName,
    number: model.line.number,
    promisedOn: calendarDate(model.promisedOn),
  });
  return invoiceNotice(":hourglass:", text, model.line, locale);
}

/** A payment on its way holds reminders; a failed one ends the hold. */
export function buildPaymentOnItsWay(model: {
  line: InvoiceLine;
  source?: string | undefined;
  holdUntil?: string | undefined;
  failed?: boolean | undefined;
  locale: string;
}) {
  const locale = readerOf(model.locale);
  const values = { number: model.line.number, client: model.line.clientName };
  const text = model.failed
    ? md(locale, "collections.payment.failed", values)
    : md(locale, "collections.payment.on_its_way", {
        ...values,
        source: model.source ?? "client",
        holdUntil: calendarDate(model.holdUntil ?? model.line.dueDate),
      });
  return invoiceNotice(model.failed ? ":x:" : ":money_with_wings:", text, model.line, locale);
}

export function buildCollectionTask(model: { line: InvoiceLine; level: number; locale: string }) {
  const locale = readerOf(model.locale);
  const text = md(locale, "collections.task.text", {
    client: model.line.clientName,
    number: model.line.number,
    level: model.level,
  });
  return invoiceNotice(":telephone_receiver:", text, model.line, locale);
}

/** The PM is told a client disputes an invoice, in the PM's language. */
export function buildDisputeNotice(model: { line: InvoiceLine; reason: string; by: string; locale: string }) {
  const locale = readerOf(model.locale);
  const text = md(locale, "collections.dispute.text", {
    client: model.line.clientName,
    number: model.line.number,
  });
  return {
    text,
    blocks: [
      section(`:no_entry: ${text}`),
      section(`${invoiceText(model.line, locale)}\n>${escapeMrkdwn(model.reason)}`),
      context(md(locale, "collections.dispute.by", { by: model.by })),
    ],
  };
}

const input = (
  field: { block: string; action: string },
  label: string,
  element: types.InputBlockElement,
  optional = false,
): Block => ({
  type: "input",
  block_id: field.block,
  label: plain(label, LIMITS.inputLabel),
  optional,
  element: { ...element, action_id: field.action } as types.InputBlockElement,
});

const datePicker = (initial: string): types.Datepicker => ({
  type: "datepicker",
  action_id: "value",
  initial_date: initial,
});

const text = (multiline = false, initial?: string): types.PlainTextInput => ({
  type: "plain_text_input",
  action_id: "value",
  multiline,
  ...(initial ? { initial_value: initial } : {}),
});

/** The collections modals' frame: title, submit and cancel in the reader's language. */
function collectionModal(
  locale: Locale,
  input: { callbackId: string; what: "promise" | "pause" | "dispute" | "payment"; metadata: string },
  blocks: Block[],
): ModalView {
  return modal({
    locale,
    callbackId: input.callbackId,
    title: t(locale, `collections.${input.what}.title`),
    submit: t(locale, `collections.${input.what}.submit`),
    close: t(locale, "collections.modal.cancel"),
    privateMetadata: input.metadata,
    blocks,
  });
}

export type InvoiceModalModel = { invoiceId: string; number: string; today: string; locale: Locale };

const invoiceModal = (
  model: InvoiceModalModel,
  callbackId: string,
  what: "promise" | "pause" | "dispute",
) => ({
  callbackId,
  what,
  metadata: encodeInvoiceValue({ invoiceId: model.invoiceId }),
});

export function buildPromiseModal(model: InvoiceModalModel): ModalView {
  const { locale } = model;
  return collectionModal(locale, invoiceModal(model, COLLECTION_CALLBACKS.promiseToPay, "promise"), [
    section(md(locale, "collections.promise.intro", { number: model.number })),
    input(COLLECTION_FIELDS.promisedOn, t(locale, "collections.promise.date"), datePicker(model.today)),
  ]);
}

export function buildPauseModal(model: InvoiceModalModel): ModalView {
  const { locale } = model;
  return collectionModal(locale, invoiceModal(model, COLLECTION_CALLBACKS.pause, "pause"), [
    section(md(locale, "collections.pause.intro", { number: model.number })),
    input(COLLECTION_FIELDS.until, t(locale, "collections.pause.until"), datePicker(model.today)),
    input(COLLECTION_FIELDS.reason, t(locale, "collections.pause.reason"), text(true)),
  ]);
}

export function buildDisputeModal(model: InvoiceModalModel): ModalView {
  const { locale } = model;
  return collectionModal(locale, invoiceModal(model, COLLECTION_CALLBACKS.dispute, "dispute"), [
    section(md(locale, "collections.dispute.intro", { number: model.number })),
    input(COLLECTION_FIELDS.reason, t(locale, "collections.dispute.reason"), text(true)),
  ]);
}

/** Amount (its currency named so nobody types cents on a yen invoice), date received, bank reference. */
function paymentInputs(locale: Locale, currency: string, openMinor: number, today: string): Block[] {
  return [
    input(
      COLLECTION_FIELDS.amount,
      t(locale, "collections.payment.amount", { currency }),
      text(false, toTypedAmount(openMinor, currency, locale)),
    ),
    input(COLLECTION_FIELDS.paidOn, t(locale, "collections.payment.paid_on"), datePicker(today)),
    input(COLLECTION_FIELDS.reference, t(locale, "collections.payment.reference"), text(false), true),
  ];
}

export function buildRecordPaymentModal(model: {
  invoiceId: string;
  number: string;
  openMinor: number;
  currency: string;
  today: string;
  locale: Locale;
}): ModalView {
  const { locale } = model;
  const metadata = encodeInvoiceValue({ invoiceId: model.invoiceId });
  const callbackId = COLLECTION_CALLBACKS.recordPayment;
  return collectionModal(locale, { callbackId, what: "payment", metadata }, [
    section(
      md(locale, "collections.payment.open", {
        number: model.number,
        amount: { amountMinor: model.openMinor, currency: model.currency },
      }),
    ),
    ...paymentInputs(locale, model.currency, model.openMinor, model.today),
  ]);
}

/** A payment from a client with several open invoices: settled oldest due first. */
export function buildClientPaymentModal(model: {
  clientId: string;
  clientName: string;
  currency: string;
  invoices: number;
  openMinor: number;
  today: string;
  locale: Locale;
}): ModalView {
  const { locale } = model;
  const metadata = JSON.stringify({ c: model.clientId, x: model.currency });
  const callbackId = COLLECTION_CALLBACKS.clientPayment;
  return collectionModal(locale, { callbackId, what: "payment", metadata }, [
    section(
      md(locale, "collections.client_payment.intro", {
        client: model.clientName,
        count: model.invoices,
        amount: { amountMinor: model.openMinor, currency: model.currency },
      }),
    ),
    ...paymentInputs(locale, model.currency, model.openMinor, model.today),
  ]);
}
