// Delivery handlers for invoices in Slack: the invoice's message (posted once per channel, then
// updated in place) and the events posted in its thread.

import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import {
  clients,
  deliveries,
  invoices,
  members,
  milestones,
  projects,
  workspaces,
} from "../../db/schema/index.ts";
import {
  type DeliveryHandler,
  type DeliveryRow,
  findPosts,
  RetryLaterError,
  readPayload,
  recordPost,
  type SlackSender,
} from "../../delivery/index.ts";
import { calendarDate, DEFAULT_LOCALE, isLocale, type Locale, type MessageKey, t } from "../../i18n/index.ts";
import {
  actions,
  type Block,
  button,
  capBlocks,
  context,
  fields,
  LIMITS,
  markup,
  section,
  truncate,
} from "../../slack/kit/blocks.ts";
import { ACTIONS, encodeInvoiceValue } from "../../slack/kit/ids.ts";
import { md } from "../../slack/kit/support.ts";
import { INVOICE_EVENT_PAYLOAD, INVOICE_MESSAGE_PAYLOAD, InvoiceMessagePayload } from "../repo.ts";

const SUBJECT_INVOICE = "invoice";
const SUBJECT_INVOICE_EVENT = "invoice_event";

async function loadInvoiceModel(
  db: Db,
  workspaceId: string,
  invoiceId: string,
): Promise<InvoiceMessageModel | null> {
  const [row] = await db
    .select({
      invoice: invoices,
      clientName: clients.name,
      projectCode: projects.code,
      projectName: projects.name,
      milestoneName: milestones.name,
      doneBySlackUserId: members.slackUserId,
      locale: workspaces.locale,
    })
    .from(invoices)
    .innerJoin(clients, eq(clients.id, invoices.clientId))
    .innerJoin(workspaces, eq(workspaces.id, invoices.workspaceId))
    .leftJoin(projects, eq(projects.id, invoices.projectId))
    .leftJoin(milestones, eq(milestones.id, invoices.milestoneId))
    .leftJoin(members, eq(members.id, milestones.doneByMemberId))
    .where(and(eq(invoices.id, invoiceId), eq(invoices.workspaceId, workspaceId)));
  if (!row) return null;
  const { invoice } = row;
  return {
    invoiceId: invoice.id,
    status: invoice.status,
    number: invoice.number,
    clientName: row.clientName,
    projectCode: row.projectCode,
    projectName: row.projectName,
    milestoneName: row.milestoneName,
    doneBySlackUserId: row.doneBySlackUserId,
    totalMinor: invoice.totalMinor,
    openMinor: invoice.openMinor,
    currency: invoice.currency,
    dueDate: invoice.dueDate,
    locale: row.locale,
  };
}

async function refreshParents(sender: SlackSender, db: Db, workspaceId: string, invoiceId: string) {
  const model = await loadInvoiceModel(db, workspaceId, invoiceId);
  if (!model) return;
  const message = buildInvoiceMessage(model);
  for (const post of await findPosts(db, workspaceId, SUBJECT_INVOICE, invoiceId)) {
    await sender.updateMessage(workspaceId, { channel: post.channelId, ts: post.ts, ...message });
  }
}

/** `invoice_message`: post the invoice's message in one channel, or update it if already there. */
export function createInvoiceMessageHandler(sender: SlackSender, db: Db): DeliveryHandler {
  return async (delivery: DeliveryRow) => {
    const payload = readPayload(delivery, InvoiceMessagePayload);
    const model = await loadInvoiceModel(db, delivery.workspaceId, payload.invoiceId);
    if (!model) return { skipped: "invoice not found" };
    const message = buildInvoiceMessage(model);
    const [existing] = (await findPosts(db, delivery.workspaceId, SUBJECT_INVOICE, payload.invoiceId)).filter(
      (p) => p.channelId === payload.channelId,
    );
    if (existing) {
      await sender.updateMessage(delivery.workspaceId, {
        channel: existing.channelId,
        ts: existing.ts,
        ...message,
      });
      return { updated: existing.ts };
    }
    if (payload.refreshOnly) return { skipped: "never posted" };
    const { ts } = await sender.postMessage(delivery.workspaceId, {
      channel: payload.channelId,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
    });
    await recordPost(db, {
      workspaceId: delivery.workspaceId,
      subjectType: SUBJECT_INVOICE,
      subjectId: payload.invoiceId,
      channelId: payload.channelId,
      ts,
    });
    return { channel: payload.channelId, ts };
  };
}

const InvoiceEventPayload = z.object({
  invoiceId: z.string(),
  event: z.string(),
  actor: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});

async function actorSlackUserId(
  db: Db,
  workspaceId: string,
  actor: string | undefined,
): Promise<string | null> {
  if (!actor || actor === "system") return null;
  if (actor.startsWith("slack:")) return actor.slice("slack:".length);
  if (!/^[0-9a-f-]{36}$/i.test(actor)) return null;
  const [member] = await db
    .select({ slackUserId: members.slackUserId })
    .from(members)
    .where(and(eq(members.id, actor), eq(members.workspaceId, workspaceId)));
  return member?.slackUserId ?? null;
}

/**
 * `invoice_event`: one line in the thread of each message of the invoice (each channel at most
 * once, even across retries), then the parent messages are refreshed in place.
 */
export function createInvoiceEventHandler(sender: SlackSender, db: Db): DeliveryHandler {
  return async (delivery: DeliveryRow) => {
    const payload = readPayload(delivery, InvoiceEventPayload);
    const parents = await findPosts(db, delivery.workspaceId, SUBJECT_INVOICE, payload.invoiceId);
    if (parents.length === 0) {
      const [pending] = await db
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(
          and(
            eq(deliveries.workspaceId, delivery.workspaceId),
            eq(deliveries.invoiceId, payload.invoiceId),
            eq(deliveries.status, "pending"),
            sql`${deliveries.payload}->>'type' = ${INVOICE_MESSAGE_PAYLOAD}`,
          ),
        )
        .limit(1);
      if (pending) throw new RetryLaterError(3, "the invoice's message is not posted yet");
      return { skipped: "the invoice has no Slack message" };
    }
    const model = await loadInvoiceModel(db, delivery.workspaceId, payload.invoiceId);
    if (!model) return { skipped: "invoice not found" };
    const text = buildInvoiceEventText({
      event: payload.event,
      actorSlackUserId: await actorSlackUserId(db, delivery.workspaceId, payload.actor),
      number: model.number,
      currency: model.currency,
      locale: model.locale,
      detail: payload.detail ?? {},
    });
    const done = new Set(
      (await findPosts(db, delivery.workspaceId, SUBJECT_INVOICE_EVENT, delivery.id)).map((p) => p.channelId),
    );
    const posted: string[] = [];
    for (const parent of parents) {
      if (done.has(parent.channelId)) continue;
      const { ts } = await sender.postMessage(delivery.workspaceId, {
        channel: parent.channelId,
        thread_ts: parent.ts,
        text,
      });
      await recordPost(db, {
        workspaceId: delivery.workspaceId,
        subjectType: SUBJECT_INVOICE_EVENT,
        subjectId: delivery.id,
        channelId: parent.channelId,
        ts,
      });
      posted.push(parent.channelId);
    }
    await refreshParents(sender, db, delivery.workspaceId, payload.invoiceId);
    return { posted };
  };
}

/** The `slack_message` payload types this module renders, to merge into `byPayloadType({...})`. */
export function invoiceSlackHandlers(sender: SlackSender, db: Db): Record<string, DeliveryHandler> {
  return {
    [INVOICE_MESSAGE_PAYLOAD]: createInvoiceMessageHandler(sender, db),
    [INVOICE_EVENT_PAYLOAD]: createInvoiceEventHandler(sender, db),
  };
}

// The message an invoice lives in (billing channel and project channel), and the lines posted in
// its thread as the invoice moves on, in the workspace's language. Pure: model in, Block Kit out.

type InvoiceMessageModel = {
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

const STATUS_ICON: Record<InvoiceMessageModel["status"], string> = {
  draft: ":memo:",
  held: ":double_vertical_bar:",
  issued: ":outbox_tray:",
  partially_paid: ":hourglass_flowing_sand:",
  paid: ":white_check_mark:",
  credited: ":leftwards_arrow_with_hook:",
  void: ":wastebasket:",
};

/** The workspace's language, which channel posts speak (the model carries it from the database). */
const localeOfModel = (model: { locale: string }): Locale =>
  isLocale(model.locale) ? model.locale : DEFAULT_LOCALE;

/** What the invoice is for: the milestone done (and by whom), or its client. */
function subjectLine(model: InvoiceMessageModel, locale: Locale): string {
  if (!model.milestoneName) return md(locale, "invoicing.post.invoice_for", { client: model.clientName });
  const values = {
    milestone: model.milestoneName,
    project: [model.projectCode, model.projectName].filter(Boolean).join(" · "),
  };
  return model.doneBySlackUserId
    ? md(locale, "invoicing.post.milestone_done_by", {
        ...values,
        person: markup(`<@${model.doneBySlackUserId}>`),
      })
    : md(locale, "invoicing.post.milestone_done", values);
}

function facts(model: InvoiceMessageModel, locale: Locale, status: string): string[] {
  const money = (amountMinor: number) => ({ amountMinor, currency: model.currency });
  const number = model.number ?? markup(t(locale, "invoicing.post.no_number"));
  const out = [
    md(locale, "invoicing.post.client", { client: model.clientName }),
    md(locale, "invoicing.post.amount", { amount: money(model.totalMinor) }),
    md(locale, "invoicing.post.status", { status: markup(`${STATUS_ICON[model.status]} ${status}`) }),
    md(locale, "invoicing.post.number", { number }),
  ];
  if (model.dueDate) out.push(md(locale, "invoicing.post.due", { due: calendarDate(model.dueDate) }));
  if (model.openMinor !== model.totalMinor && model.status !== "draft" && model.status !== "held") {
    out.push(md(locale, "invoicing.post.still_due", { amount: money(model.openMinor) }));
  }
  return out;
}

export function buildInvoiceMessage(model: InvoiceMessageModel): { text: string; blocks: Block[] } {
  const locale = localeOfModel(model);
  const status = t(locale, "invoicing.status", { status: model.status });
  const blocks: Block[] = [section(subjectLine(model, locale)), fields(facts(model, locale, status))];
  const value = encodeInvoiceValue({ invoiceId: model.invoiceId });
  if (model.status === "draft" || model.status === "held") {
    const buttons = [
      button(t(locale, "invoicing.button.issue_send"), ACTIONS.issueAndSend, value, "primary"),
      button(t(locale, "invoicing.button.edit"), ACTIONS.editDraft, value),
    ];
    if (model.status === "draft") {
      buttons.push(button(t(locale, "invoicing.button.hold"), ACTIONS.holdDraft, value));
    }
    blocks.push(actions(buttons, `invoice_actions`));
  } else {
    blocks.push(context(t(locale, "invoicing.post.thread_note")));
  }
  const values = {
    client: model.clientName,
    amount: { amountMinor: model.totalMinor, currency: model.currency },
    status,
  };
  const text = model.milestoneName
    ? md(locale, "invoicing.post.text_milestone", { ...values, milestone: model.milestoneName })
    : md(locale, "invoicing.post.text_invoice", values);
  return {
    text: truncate(text, LIMITS.messageText),
    blocks: capBlocks(blocks, LIMITS.messageBlocks, () => ""),
  };
}

type InvoiceEventModel = {
  event: string;
  actorSlackUserId: string | null;
  number: string | null;
  currency: string;
  locale: string;
  detail: Record<string, unknown>;
};

/** A detail the event may carry, or "none" (the catalogue's messages select on it). */
const NONE = "none";
const textOf = (value: unknown) => (typeof value === "string" && value !== "" ? value : NONE);

const EVENT_KEYS = {
  draft_created: "invoicing.event.draft_created",
  issued: "invoicing.event.issued",
  emailed: "invoicing.event.emailed",
  email_delivered: "invoicing.event.email_delivered",
  email_bounced: "invoicing.event.email_bounced",
  received: "invoicing.event.received",
  payment_recorded: "invoicing.event.payment_recorded",
  paid: "invoicing.event.paid",
  online_payment_unapplied: "invoicing.event.online_payment_unapplied",
  credited: "invoicing.event.credited",
  cancelled: "invoicing.event.cancelled",
  held: "invoicing.event.held",
  reminder_sent: "invoicing.event.reminder_sent",
  overdue: "invoicing.event.overdue",
  promise_to_pay: "invoicing.event.promise_to_pay",
  paused: "invoicing.event.paused",
  disputed: "invoicing.event.disputed",
  assigned: "invoicing.event.assigned",
} as const satisfies Record<string, MessageKey>;

const isKnownEvent = (event: string): event is keyof typeof EVENT_KEYS => event in EVENT_KEYS;

/** One short line per event, posted as a thread reply under the invoice's message. */
function buildInvoiceEventText(model: InvoiceEventModel): string {
  const locale = localeOfModel(model);
  const { detail } = model;
  const money = (key: string) => {
    const value = detail[key];
    return typeof value === "number" && Number.isSafeInteger(value)
      ? { amountMinor: value, currency: model.currency }
      : null;
  };
  const someAmount = markup(t(locale, "invoicing.event.some_amount"));
  const values = {
    by: model.actorSlackUserId ? markup(`<@${model.actorSlackUserId}>`) : NONE,
    number: model.number ?? "",
    to: textOf(detail.to),
    reason: textOf(detail.reason),
    on: textOf(detail.on),
    level: typeof detail.level === "number" ? String(detail.level) : NONE,
    amount: money("amountMinor") ?? someAmount,
    open: money("openMinor") ?? NONE,
    reference: typeof detail.reference === "string" ? detail.reference : "Stripe",
  };
  const line = isKnownEvent(model.event)
    ? md(locale, EVENT_KEYS[model.event], {
        ...values,
        ...(model.event === "online_payment_unapplied" && values.reason === NONE
          ? { reason: markup(t(locale, "invoicing.event.unapplied_reason")) }
          : {}),
      })
    : md(locale, "invoicing.event.other", { by: values.by, event: model.event.replaceAll("_", " ") });
  return truncate(line, LIMITS.messageText);
}
