// The message an invoice lives in (billing channel and project channel), and the lines posted in
// its thread as the invoice moves on. Pure: model in, Block Kit out.
import { formatMoney } from "../../domain/money.ts";
import {
  actions,
  type Block,
  button,
  capBlocks,
  context,
  escapeMrkdwn,
  fields,
  LIMITS,
  markup,
  section,
  slackText,
  truncate,
} from "../../slack/kit/blocks.ts";
import { ACTIONS, encodeInvoiceValue } from "../../slack/kit/ids.ts";

export type InvoiceMessageModel = {
  invoiceId: string;
  status: "draft" | "held" | "issued" | "partially_paid" | "paid" | "credited" | "void";
  number: string | null;
  clientName: string;
  projectCode: string | null;
  projectName: string | null;
  milestoneName: string | null;
  doneBySlackUserId: string | null;
  totalMinor: number;
  openMinor: number;
  currency: string;
  dueDate: string | null;
  locale: string;
};

const STATUS_LABEL: Record<InvoiceMessageModel["status"], string> = {
  draft: ":memo: Draft, waiting for billing",
  held: ":double_vertical_bar: On hold",
  issued: ":outbox_tray: Issued",
  partially_paid: ":hourglass_flowing_sand: Partially paid",
  paid: ":white_check_mark: Paid",
  credited: ":leftwards_arrow_with_hook: Credited",
  void: ":wastebasket: Cancelled",
};

export function buildInvoiceMessage(model: InvoiceMessageModel): { text: string; blocks: Block[] } {
  const amount = formatMoney({ amountMinor: model.totalMinor, currency: model.currency }, model.locale);
  const what = model.milestoneName
    ? `*${escapeMrkdwn(model.milestoneName)}* is done on ${escapeMrkdwn(
        [model.projectCode, model.projectName].filter(Boolean).join(" · "),
      )}`
    : `Invoice for ${escapeMrkdwn(model.clientName)}`;
  const by = model.doneBySlackUserId ? ` by <@${model.doneBySlackUserId}>` : "";
  const facts = [
    `*Client*\n${escapeMrkdwn(model.clientName)}`,
    `*Amount*\n${amount}`,
    `*Status*\n${STATUS_LABEL[model.status]}`,
    `*Invoice*\n${model.number ? escapeMrkdwn(model.number) : "no number until issued"}`,
  ];
  if (model.dueDate) facts.push(`*Due*\n${model.dueDate}`);
  if (model.openMinor !== model.totalMinor && model.status !== "draft" && model.status !== "held") {
    facts.push(
      `*Still due*\n${formatMoney({ amountMinor: model.openMinor, currency: model.currency }, model.locale)}`,
    );
  }
  const blocks: Block[] = [section(`${what}${by}.`), fields(facts)];
  const value = encodeInvoiceValue({ invoiceId: model.invoiceId });
  if (model.status === "draft" || model.status === "held") {
    const buttons = [
      button("Issue & send", ACTIONS.issueAndSend, value, "primary"),
      button("Edit", ACTIONS.editDraft, value),
    ];
    if (model.status === "draft") buttons.push(button("Hold", ACTIONS.holdDraft, value));
    blocks.push(actions(buttons, `invoice_actions`));
  } else {
    blocks.push(context("Updates on this invoice are posted in the thread."));
  }
  const subject = model.milestoneName ? slackText`${model.milestoneName} done` : "Invoice";
  const status = STATUS_LABEL[model.status].replace(/^:[a-z_]+: /, "");
  const text = truncate(
    slackText`${markup(subject)} · ${model.clientName} · ${amount} · ${status}`,
    LIMITS.messageText,
  );
  return { text, blocks: capBlocks(blocks, LIMITS.messageBlocks, () => "") };
}

export type InvoiceEventModel = {
  event: string;
  actorSlackUserId: string | null;
  number: string | null;
  currency: string;
  locale: string;
  detail: Record<string, unknown>;
};

const money = (model: InvoiceEventModel, key: string) => {
  const value = model.detail[key];
  return typeof value === "number" && Number.isSafeInteger(value)
    ? formatMoney({ amountMinor: value, currency: model.currency }, model.locale)
    : null;
};

const textOf = (value: unknown) => (typeof value === "string" ? escapeMrkdwn(value) : null);

/** One short line per event, posted as a thread reply under the invoice's message. */
export function buildInvoiceEventText(model: InvoiceEventModel): string {
  const by = model.actorSlackUserId ? ` by <@${model.actorSlackUserId}>` : "";
  const number = model.number ? ` ${escapeMrkdwn(model.number)}` : "";
  const lines: Record<string, () => string> = {
    draft_created: () => `:memo: Draft created${by}.`,
    issued: () => `:outbox_tray: Issued as${number}${by}.`,
    emailed: () =>
      `:email: Sent by e-mail${textOf(model.detail.to) ? ` to ${textOf(model.detail.to)}` : ""}.`,
    email_delivered: () => ":inbox_tray: The e-mail was delivered.",
    email_bounced: () =>
      `:warning: The e-mail bounced${textOf(model.detail.reason) ? ` (${textOf(model.detail.reason)})` : ""}: check the client's address.`,
    received: () => ":eyes: The client opened the invoice.",
    payment_recorded: () =>
      `:moneybag: Payment of ${money(model, "amountMinor") ?? "an amount"} recorded${by}${money(model, "openMinor") ? `; ${money(model, "openMinor")} still due` : ""}.`,
    paid: () => ":white_check_mark: Paid in full.",
    online_payment_unapplied: () =>
      `:warning: ${money(model, "amountMinor") ?? "A payment"} was paid online (${textOf(model.detail.reference) ?? "Stripe"}) but not recorded: ${textOf(model.detail.reason) ?? "it does not fit the invoice"}. Refund it or credit it by hand.`,
    credited: () => `:leftwards_arrow_with_hook: Credited${by}.`,
    cancelled: () =>
      `:wastebasket: Cancelled${by} before it reached the client${textOf(model.detail.reason) ? `: ${textOf(model.detail.reason)}` : ""}.`,
    held: () => `:double_vertical_bar: Put on hold${by}.`,
    reminder_sent: () =>
      `:bell: Reminder${typeof model.detail.level === "number" ? ` ${model.detail.level}` : ""} sent.`,
    overdue: () => ":rotating_light: Overdue.",
    promise_to_pay: () =>
      `:handshake: The client promised to pay${textOf(model.detail.on) ? ` on ${textOf(model.detail.on)}` : ""}.`,
    paused: () => `:pause_button: Reminders paused${by}.`,
    disputed: () =>
      `:warning: Disputed${textOf(model.detail.reason) ? `: ${textOf(model.detail.reason)}` : ""}.`,
    assigned: () => `:bust_in_silhouette: Assigned${by}.`,
  };
  const line = lines[model.event]?.() ?? `${escapeMrkdwn(model.event.replaceAll("_", " "))}${by}.`;
  return truncate(line, LIMITS.messageText);
}
