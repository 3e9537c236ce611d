// Sends one claimed reminder unless something stops it (paid, paused, disputed, a level skipped).

import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { claimDelivery } from "../delivery/index.ts";
import { collectionBlock, collectionState, type DunningLevel, isFormalNotice } from "../domain/dunning.ts";
import { DomainError } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { notifyInvoiceEvent } from "../invoicing/index.ts";
import type { WorkspaceRow } from "../workspace/index.ts";
import {
  COLLECTION_TASK_PAYLOAD,
  REMINDER_EMAIL_PAYLOAD,
  type ReminderEmailPayload,
} from "./collection-payloads.ts";
import { lateInterestFigures } from "./late-interest-repo.ts";
import { advanceCollectionLevel } from "./overdue-repo.ts";
import { ensureCollection, type InvoiceCollectionView, moveReminder, type ReminderRow } from "./repo.ts";

/**
 * Sends a claimed reminder if nothing stops it: compare-and-set on its status, level advanced only
 * from the previous one, the e-mail (or call task) claimed in the same transaction (the caller's:
 * the reminder run, Send reminder now, the formal notice's approval).
 */
export async function dispatchReminder(
  ctx: Ctx,
  input: {
    workspace: WorkspaceRow;
    view: InvoiceCollectionView;
    reminder: ReminderRow;
    level: DunningLevel;
    today: string;
  },
): Promise<{ outcome: "sent" | "skipped" | "blocked"; deliveryIds: string[] }> {
  assertAllowed(ctx.actor, { action: "collect" });
  const { workspace, view, reminder, level, today } = input;
  // Called inside its verb's transaction: ctx.db is that transaction.
  const { db } = ctx;
  const actor = auditActorOf(ctx.actor);
  const state = collectionState(view);
  const block = collectionBlock(state, today);
  if (block === "paid" || block === "closed") {
    await moveReminder(db, reminder.id, ["scheduled", "awaiting_approval"], {
      status: "skipped",
      openMinorAtSend: view.openMinor,
    });
    return { outcome: "skipped", deliveryIds: [] };
  }
  if (block) return { outcome: "blocked", deliveryIds: [] };
  const moved = await moveReminder(db, reminder.id, ["scheduled", "awaiting_approval"], {
    status: "sent",
    openMinorAtSend: view.openMinor,
    sentAt: new Date(),
  });
  if (!moved) return { outcome: "blocked", deliveryIds: [] };
  await ensureCollection(db, workspace.id, view.invoiceId);
  const advanced = await advanceCollectionLevel(db, workspace.id, view.invoiceId, level.level, today);
  if (!advanced) {
    throw new DomainError(
      "reminder.level_race",
      `invoice ${view.invoiceId} is not at level ${level.level - 1}`,
    );
  }
  await recordAudit(db, {
    workspaceId: workspace.id,
    actor,
    action: "reminder.sent",
    entity: "invoice",
    entityId: view.invoiceId,
    before: { level: level.level - 1 },
    after: { level: level.level, tone: level.tone, channel: level.channel, openMinor: view.openMinor },
  });
  const deliveryIds: string[] = [];
  if (level.channel === "email") {
    const payload: ReminderEmailPayload = {
      type: REMINDER_EMAIL_PAYLOAD,
      invoiceId: view.invoiceId,
      reminderId: reminder.id,
      level: level.level,
      tone: level.tone,
      template: level.template,
      language: view.language,
      to: view.clientEmails,
      ...(isFormalNotice(level) ? { interest: await lateInterestFigures(db, workspace, view, today) } : {}),
    };
    const id = await claimDelivery(db, {
      workspaceId: workspace.id,
      kind: "email",
      invoiceId: view.invoiceId,
      dedupeKey: `reminder:${view.invoiceId}:${level.level}`,
      payload,
    });
    if (id) deliveryIds.push(id);
  } else {
    const channel = view.collectorSlackUserId ?? workspace.collectionsChannelId;
    if (channel) {
      const id = await claimDelivery(db, {
        workspaceId: workspace.id,
        kind: view.collectorSlackUserId ? "slack_dm" : "slack_message",
        invoiceId: view.invoiceId,
        dedupeKey: `collection-task:${view.invoiceId}:${level.level}`,
        payload: {
          type: COLLECTION_TASK_PAYLOAD,
          invoiceId: view.invoiceId,
          level: level.level,
          template: level.template,
          channel,
        },
      });
      if (id) deliveryIds.push(id);
    }
  }
  const event = await notifyInvoiceEvent(db, {
    workspaceId: workspace.id,
    invoiceId: view.invoiceId,
    event: "reminder_sent",
    occurrence: String(level.level),
    actor,
    detail: { level: level.level, tone: level.tone, channel: level.channel, openMinor: view.openMinor },
  });
  if (event) deliveryIds.push(event);
  return { outcome: "sent", deliveryIds };
}
