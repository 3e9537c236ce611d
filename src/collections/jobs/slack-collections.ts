// Slack deliveries of the collections area, by payload type: overdue digests, PM heads-ups, the
// formal-notice approval, broken promises, call tasks and dispute notices. Posted through the
// shared sender (per-channel pacing, 429 → RetryLaterError); DMs post to the user id.
import type { Db } from "../../db/client.ts";
import {
  type DeliveryHandler,
  type DeliveryRow,
  dmChannelOf,
  readPayload,
  type SlackSender,
} from "../../delivery/index.ts";
import { daysBetween } from "../../domain/calendar.ts";
import { localToday } from "../../domain/overdue.ts";
import { type MessageKey, t } from "../../i18n/index.ts";
import type { Block } from "../../slack/kit/blocks.ts";
import { findWorkspaceById, memberLocale, readerLocaleOf, type WorkspaceRow } from "../../workspace/index.ts";
import {
  COLLECTION_TASK_PAYLOAD,
  CollectionTaskPayload,
  DISPUTE_NOTICE_PAYLOAD,
  DisputeNoticePayload,
  FORMAL_APPROVAL_PAYLOAD,
  FormalApprovalPayload,
  HEADS_UP_PAYLOAD,
  HeadsUpPayload,
  OVERDUE_DIGEST_PAYLOAD,
  OverdueDigestPayload,
  PAYMENT_ON_ITS_WAY_PAYLOAD,
  PaymentOnItsWayPayload,
  PROMISE_BROKEN_PAYLOAD,
  PromiseBrokenPayload,
} from "../collection-payloads.ts";
import { type InvoiceCollectionView, listInvoiceCollections } from "../repo.ts";
import {
  buildCollectionTask,
  buildDisputeNotice,
  buildFormalNoticeApproval,
  buildOverdueDigest,
  buildPaymentOnItsWay,
  buildPromiseBroken,
  buildReminderHeadsUp,
  buildReminderHeadsUps,
  DIGEST_INVOICES_WITH_BUTTONS,
  type InvoiceLine,
} from "../slack/collections-view.ts";

function toLine(view: InvoiceCollectionView, today: string): InvoiceLine {
  const note =
    view.openMinor <= 0 || view.status === "paid"
      ? "paid since"
      : view.disputedAt
        ? "disputed"
        : view.pausedUntil && view.pausedUntil >= today
          ? `paused until ${view.pausedUntil}`
          : undefined;
  return {
    invoiceId: view.invoiceId,
    number: view.number ?? "(no number)",
    clientName: view.clientName,
    projectName: view.projectName,
    openMinor: view.openMinor,
    currency: view.currency,
    dueDate: view.dueDate,
    daysPastDue: daysBetween(view.dueDate, today),
    ...(note ? { note } : {}),
  };
}

/** Invoices a digest reads at once. */
const DIGEST_READ_PAGE = 1000;

const AUDIENCE: Record<string, MessageKey> = {
  collector: "collections.audience.collector",
  pm: "collections.audience.pm",
  collections: "collections.audience.collections",
  project: "collections.audience.project",
};

export function collectionsSlackHandlers(
  sender: SlackSender,
  db: Db,
  now: () => Date,
): Record<string, DeliveryHandler> {
  type Ctx = { workspace: WorkspaceRow; today: string; locale: string; channel: string };
  const load = async (delivery: DeliveryRow, channel: string): Promise<Ctx | null> => {
    const workspace = await findWorkspaceById(db, delivery.workspaceId);
    if (!workspace) return null;
    // A channel post is read in the workspace's language, a DM in its member's.
    const locale = await readerLocaleOf(db, workspace.id, channel);
    return { workspace, today: localToday(now(), workspace.timeZone), locale, channel };
  };
  const one = async (ctx: Ctx, invoiceId: string) => {
    const [view] = await listInvoiceCollections(db, ctx.workspace.id, [invoiceId]);
    return view ? toLine(view, ctx.today) : null;
  };
  const post = async (ctx: Ctx, message: { text: string; blocks: Block[] }) => {
    const { ts } = await sender.postMessage(ctx.workspace.id, {
      channel: ctx.channel,
      text: message.text,
      blocks: message.blocks,
    });
    return { channel: ctx.channel, ts };
  };

  return {
    [OVERDUE_DIGEST_PAYLOAD]: async (delivery) => {
      const payload = readPayload(delivery, OverdueDigestPayload);
      const ctx = await load(delivery, payload.channel);
      if (!ctx) return { skipped: "workspace gone" };
      if (payload.recipient.kind === "dm" && !payload.recipient.slackUserId) {
        ctx.channel = await dmChannelOf(sender, db, delivery, {
          memberId: payload.recipient.memberId,
          invoiceIds: payload.invoiceIds,
          what: "the overdue alert",
        });
      }
      // Only the invoices shown with buttons need their current state; the total uses all of them.
      // Read a page at a time: a digest can list every invoice that fell overdue that day.
      const lines: InvoiceLine[] = [];
      for (let i = 0; i < payload.invoiceIds.length; i += DIGEST_READ_PAGE) {
        const page = payload.invoiceIds.slice(i, i + DIGEST_READ_PAGE);
        for (const view of await listInvoiceCollections(db, ctx.workspace.id, page))
          lines.push(toLine(view, ctx.today));
      }
      lines.sort(
        (a, b) =>
          Number(Boolean(a.note)) - Number(Boolean(b.note)) ||
          b.openMinor - a.openMinor ||
          a.dueDate.localeCompare(b.dueDate) ||
          a.number.localeCompare(b.number),
      );
      // A DM is read by its member, in their language; a channel post in the workspace's.
      const locale =
        payload.recipient.kind === "dm"
          ? await memberLocale(db, ctx.workspace.id, payload.recipient.memberId)
          : ctx.workspace.locale;
      const roles = payload.recipient.roles.map((r) => {
        const key = AUDIENCE[r];
        return key ? t(locale, key) : r;
      });
      const message = buildOverdueDigest({
        runDate: payload.runDate,
        locale,
        audience: roles.join(" · "),
        invoices: lines,
      });
      return {
        ...(await post(ctx, message)),
        invoices: lines.length,
        withButtons: Math.min(lines.length, DIGEST_INVOICES_WITH_BUTTONS),
      };
    },
    [HEADS_UP_PAYLOAD]: async (delivery) => {
      const payload = readPayload(delivery, HeadsUpPayload);
      const ctx = await load(delivery, payload.channel);
      if (!ctx) return { skipped: "workspace gone" };
      const invoiceIds = payload.reminders.map((r) => r.invoiceId);
      const lines = new Map(
        (await listInvoiceCollections(db, ctx.workspace.id, invoiceIds)).map((v) => [
          v.invoiceId,
          toLine(v, ctx.today),
        ]),
      );
      // A reminder whose invoice was paid, disputed or paused since is not announced.
      const reminders = payload.reminders.flatMap((r) => {
        const line = lines.get(r.invoiceId);
        return line && !line.note ? [{ line, level: r.level, tone: r.tone }] : [];
      });
      const [first] = reminders;
      if (!first) {
        const [only] = payload.reminders;
        return { skipped: (only && lines.get(only.invoiceId)?.note) ?? "invoice gone" };
      }
      if (payload.memberId) {
        ctx.locale = await memberLocale(db, ctx.workspace.id, payload.memberId);
        ctx.channel ||= await dmChannelOf(sender, db, delivery, {
          memberId: payload.memberId,
          invoiceIds,
          what: "the reminder heads-up",
        });
      }
      const { sendOn } = payload;
      const message =
        reminders.length === 1
          ? buildReminderHeadsUp({ ...first, sendOn, locale: ctx.locale })
          : buildReminderHeadsUps({ reminders, sendOn, locale: ctx.locale });
      return { ...(await post(ctx, message)), reminders: reminders.length };
    },
    [FORMAL_APPROVAL_PAYLOAD]: async (delivery) => {
      const payload = readPayload(delivery, FormalApprovalPayload);
      const ctx = await load(delivery, payload.channel);
      const line = ctx ? await one(ctx, payload.invoiceId) : null;
      if (!ctx || !line) return { skipped: "invoice gone" };
      return post(
        ctx,
        buildFormalNoticeApproval({
          line,
          level: payload.level,
          locale: ctx.locale,
          ...(payload.interest ? { interest: payload.interest } : {}),
        }),
      );
    },
    [PROMISE_BROKEN_PAYLOAD]: async (delivery) => {
      const payload = readPayload(delivery, PromiseBrokenPayload);
      const ctx = await load(delivery, payload.channel);
      const line = ctx ? await one(ctx, payload.invoiceId) : null;
      if (!ctx || !line) return { skipped: "invoice gone" };
      if (line.note === "paid since") return { skipped: "paid since" };
      return post(ctx, buildPromiseBroken({ line, promisedOn: payload.promisedOn, locale: ctx.locale }));
    },
    [PAYMENT_ON_ITS_WAY_PAYLOAD]: async (delivery) => {
      const payload = readPayload(delivery, PaymentOnItsWayPayload);
      const ctx = await load(delivery, payload.channel);
      const line = ctx ? await one(ctx, payload.invoiceId) : null;
      if (!ctx || !line) return { skipped: "invoice gone" };
      if (line.note === "paid since") return { skipped: "paid since" };
      return post(ctx, buildPaymentOnItsWay({ ...payload, line, locale: ctx.locale }));
    },
    [COLLECTION_TASK_PAYLOAD]: async (delivery) => {
      const payload = readPayload(delivery, CollectionTaskPayload);
      const ctx = await load(delivery, payload.channel);
      const line = ctx ? await one(ctx, payload.invoiceId) : null;
      if (!ctx || !line) return { skipped: "invoice gone" };
      if (line.note) return { skipped: line.note };
      return post(ctx, buildCollectionTask({ line, level: payload.level, locale: ctx.locale }));
    },
    [DISPUTE_NOTICE_PAYLOAD]: async (delivery) => {
      const payload = readPayload(delivery, DisputeNoticePayload);
      const ctx = await load(delivery, payload.channel);
      const line = ctx ? await one(ctx, payload.invoiceId) : null;
      if (!ctx || !line) return { skipped: "invoice gone" };
      return post(
        ctx,
        buildDisputeNotice({ line, reason: payload.reason, by: payload.actor, locale: ctx.locale }),
      );
    },
  };
}
