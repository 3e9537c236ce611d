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
import { INVOICE_MESSAGE_PAYLOAD, InvoiceMessagePayload } from "../claim-invoice-messages.ts";
import { INVOICE_EVENT_PAYLOAD } from "../notify-invoice-event.ts";
import {
  buildInvoiceEventText,
  buildInvoiceMessage,
  type InvoiceMessageModel,
} from "../slack/invoice-message.ts";

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
