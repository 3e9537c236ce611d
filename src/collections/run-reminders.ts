// The daily reminder run: for each open invoice, the next dunning level, claimed once; the PM hears
// the day before; the open amount and blocks are checked again right before each send.

import { sql } from "drizzle-orm";
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { claimDelivery } from "../delivery/index.ts";
import { addDays, isCalendarDate, toDayNumber } from "../domain/calendar.ts";
import {
  type CollectionState,
  collectionBlock,
  type DunningLevel,
  type DunningPolicy,
  isFormalNotice,
  isPromiseBroken,
  nextCollectionAction,
  type PolicyCandidate,
  resolveDunningPolicy,
} from "../domain/dunning.ts";
import { DomainError, isDomainError } from "../domain/errors.ts";
import { lateInterestJurisdiction } from "../domain/invoice-parties.ts";
import { computeLateInterest, type InterestRate, type Jurisdiction } from "../domain/late-interest.ts";
import { localToday } from "../domain/overdue.ts";
import { present } from "../domain/present.ts";
import { notifyInvoiceEvent } from "../invoicing/index.ts";
import { listInterestRates } from "../rates/index.ts";
import {
  claimScheduledRun,
  findWorkspaceById,
  finishScheduledRun,
  type WorkspaceRow,
} from "../workspace/index.ts";
import {
  COLLECTION_TASK_PAYLOAD,
  FORMAL_APPROVAL_PAYLOAD,
  HEADS_UP_PAYLOAD,
  type LateInterestFigures,
  PROMISE_BROKEN_PAYLOAD,
  REMINDER_EMAIL_PAYLOAD,
  type ReminderEmailPayload,
} from "./collection-payloads.ts";
import {
  claimReminder,
  ensureCollection,
  findInvoiceCollection,
  findReminder,
  type InvoiceCollectionView,
  listDunningPolicies,
  listPaymentsAfter,
  listReminderCandidates,
  moveReminder,
  type ReminderRow,
  updateCollection,
} from "./repo.ts";

export const REMINDERS_JOB = "reminders";

/** Pre-due levels look this far ahead (the most negative offset a policy may use, plus a day). */
const PRE_DUE_HORIZON_DAYS = 31;

export const RunRemindersInput = z.object({
  workspaceId: z.uuid(),
  asOf: z.string().refine(isCalendarDate, "expected a date YYYY-MM-DD").optional(),
  claimRun: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});
export type RunRemindersInput = z.input<typeof RunRemindersInput>;

export type RunRemindersResult = {
  runDate: string;
  ran: boolean;
  dryRun: boolean;
  headsUp: number;
  sent: number;
  awaitingApproval: number;
  skipped: number;
  brokenPromises: number;
};

export function collectionState(view: InvoiceCollectionView): CollectionState {
  return {
    dueDate: view.dueDate,
    openMinor: view.openMinor,
    invoiceStatus: view.status,
    level: view.level,
    lastReminderOn: view.lastReminderOn,
    pausedUntil: view.pausedUntil,
    promisedOn: view.promisedOn,
    disputed: view.disputedAt !== null,
    formalApproved: view.formalApprovedAt !== null,
  };
}

export async function loadPolicyCandidates(db: Db, workspaceId: string): Promise<PolicyCandidate[]> {
  const rows = await listDunningPolicies(db, workspaceId);
  return rows.map((row) => ({
    scope: row.projectId ? "project" : row.clientId ? "client" : "profile",
    profile: row.profile,
    clientId: row.clientId,
    projectId: row.projectId,
    policy: { name: row.name, levels: row.levels },
  }));
}

export function policyFor(candidates: PolicyCandidate[], view: InvoiceCollectionView): DunningPolicy {
  return resolveDunningPolicy(candidates, {
    profile: view.profile,
    clientId: view.clientId,
    projectId: view.projectId,
  });
}

/** Statutory interest and the €40 as of a date, for the formal notice and its approval message. */
export async function lateInterestFigures(
  db: Db,
  workspace: WorkspaceRow,
  view: InvoiceCollectionView,
  asOf: string,
): Promise<LateInterestFigures> {
  const jurisdiction = lateInterestJurisdiction(workspace.settings, workspace.seller);
  const rates = (await listInterestRates(db, jurisdiction)).map(
    (r): InterestRate => ({
      jurisdiction: r.jurisdiction as Jurisdiction,
      halfYearStart: r.halfYearStart,
      referenceRateBp: r.referenceRateBp,
      totalRateBp: r.totalRateBp,
    }),
  );
  const paidAfterDue = await listPaymentsAfter(db, workspace.id, view.invoiceId, view.dueDate);
  const openAtDue = view.openMinor + paidAfterDue.reduce((sum, p) => sum + p.amountMinor, 0);
  try {
    const result = computeLateInterest({
      jurisdiction,
      profile: view.profile,
      currency: view.currency,
      dueDate: view.dueDate,
      openAtDueMinor: openAtDue,
      settlements: paidAfterDue,
      asOf,
      rates,
    });
    return {
      interestMinor: result.interest.amountMinor,
      compensationMinor: result.compensation.amountMinor,
      currency: view.currency,
      asOf,
    };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return {
      interestMinor: 0,
      compensationMinor: 0,
      currency: view.currency,
      asOf,
      problem: error.userMessage,
    };
  }
}

/**
 * Sends a claimed reminder if nothing stops it: compare-and-set on its status, level advanced only
 * from the previous one, the e-mail (or call task) claimed in the same transaction.
 */
export async function dispatchReminder(
  db: Db,
  workspace: WorkspaceRow,
  view: InvoiceCollectionView,
  reminder: ReminderRow,
  level: DunningLevel,
  today: string,
  actor: string,
): Promise<{ outcome: "sent" | "skipped" | "blocked"; deliveryIds: string[] }> {
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
  const advanced = await updateCollection(
    db,
    workspace.id,
    view.invoiceId,
    { level: level.level, lastReminderOn: today },
    sql`level = ${level.level - 1}`,
  );
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

/** Asks collections to approve the formal notice, once per invoice and level. */
async function requestFormalApproval(
  db: Db,
  workspace: WorkspaceRow,
  view: InvoiceCollectionView,
  reminder: ReminderRow,
  today: string,
): Promise<string[]> {
  const moved = await moveReminder(db, reminder.id, ["scheduled"], { status: "awaiting_approval" });
  if (!moved) return [];
  const channel = workspace.collectionsChannelId ?? view.collectorSlackUserId;
  if (!channel) return [];
  const interest = await lateInterestFigures(db, workspace, view, today);
  const id = await claimDelivery(db, {
    workspaceId: workspace.id,
    kind: workspace.collectionsChannelId ? "slack_message" : "slack_dm",
    invoiceId: view.invoiceId,
    dedupeKey: `formal-approval:${view.invoiceId}:${reminder.level}`,
    payload: {
      type: FORMAL_APPROVAL_PAYLOAD,
      invoiceId: view.invoiceId,
      level: reminder.level,
      channel,
      interest,
    },
  });
  return id ? [id] : [];
}

class DryRunRollback extends Error {}

export async function runReminders(
  deps: ServiceDeps,
  rawInput: RunRemindersInput,
): Promise<RunRemindersResult> {
  const input = RunRemindersInput.parse(rawInput);
  const workspace = await findWorkspaceById(deps.db, input.workspaceId);
  if (!workspace) {
    throw new DomainError("workspace.not_found", `workspace ${input.workspaceId} not found`, {
      userMessage: "This workspace is not set up in Cobro.",
    });
  }
  const today = input.asOf ?? localToday(deps.now(), workspace.timeZone);
  const result: RunRemindersResult = {
    runDate: today,
    ran: false,
    dryRun: input.dryRun,
    headsUp: 0,
    sent: 0,
    awaitingApproval: 0,
    skipped: 0,
    brokenPromises: 0,
  };
  const claimed: string[] = [];
  try {
    await deps.db.transaction(async (tx) => {
      const runId =
        input.claimRun && !input.dryRun
          ? await claimScheduledRun(tx, workspace.id, REMINDERS_JOB, today)
          : "manual";
      if (!runId) return;
      result.ran = true;
      const candidates = await loadPolicyCandidates(tx, workspace.id);
      const views = await listReminderCandidates(tx, workspace.id, addDays(today, PRE_DUE_HORIZON_DAYS));
      for (const view of views) {
        claimed.push(...(await handleInvoice(tx, workspace, candidates, view, today, result)));
      }
      if (runId !== "manual") await finishScheduledRun(tx, runId, { ...result });
      if (input.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
    return result;
  }
  if (claimed.length > 0) await deps.enqueue(claimed);
  return result;
}

async function handleInvoice(
  db: Db,
  workspace: WorkspaceRow,
  candidates: PolicyCandidate[],
  view: InvoiceCollectionView,
  today: string,
  result: RunRemindersResult,
): Promise<string[]> {
  const claimed: string[] = [];
  const policy = policyFor(candidates, view);
  let state = collectionState(view);
  if (isPromiseBroken(state, today)) {
    const broken = await updateCollection(
      db,
      workspace.id,
      view.invoiceId,
      { promisedOn: null },
      sql`promised_on = ${state.promisedOn}::date`,
    );
    if (broken) {
      result.brokenPromises++;
      claimed.push(
        ...(await alertBrokenPromise(db, workspace, view, present(state.promisedOn, "promised date"))),
      );
      state = { ...state, promisedOn: null };
      view = { ...view, promisedOn: null };
    }
  }
  const nextLevel = policy.levels[state.level];
  if (!nextLevel) return claimed;
  const pending = await findReminder(db, view.invoiceId, nextLevel.level);
  if (pending && (pending.status === "scheduled" || pending.status === "awaiting_approval")) {
    if (toDayNumber(pending.dueOn) > toDayNumber(today)) return claimed;
    const block = collectionBlock(state, today);
    if (!block && isFormalNotice(nextLevel) && !state.formalApproved) {
      const ids = await requestFormalApproval(db, workspace, view, pending, today);
      if (pending.status === "scheduled") result.awaitingApproval++;
      return [...claimed, ...ids];
    }
    const sent = await dispatchReminder(db, workspace, view, pending, nextLevel, today, "system");
    if (sent.outcome === "sent") result.sent++;
    if (sent.outcome === "skipped") result.skipped++;
    return [...claimed, ...sent.deliveryIds];
  }
  if (pending) return claimed;
  const action = nextCollectionAction(policy, state, today);
  if (action.kind !== "wait" && action.kind !== "send" && action.kind !== "await_approval") return claimed;
  const tomorrow = addDays(today, 1);
  if (toDayNumber(action.sendOn) > toDayNumber(tomorrow)) return claimed;
  // The PM always hears the day before: a reminder found due today goes tomorrow.
  await ensureCollection(db, workspace.id, view.invoiceId);
  const reminder = await claimReminder(db, {
    workspaceId: workspace.id,
    invoiceId: view.invoiceId,
    level: action.level.level,
    tone: action.level.tone,
    channel: action.level.channel,
    dueOn: tomorrow,
    status: "scheduled",
  });
  if (!reminder) return claimed;
  result.headsUp++;
  if (view.pmMemberId) {
    const id = await claimDelivery(db, {
      workspaceId: workspace.id,
      kind: "slack_dm",
      invoiceId: view.invoiceId,
      dedupeKey: `reminder-heads-up:${view.invoiceId}:${action.level.level}`,
      payload: {
        type: HEADS_UP_PAYLOAD,
        invoiceId: view.invoiceId,
        level: action.level.level,
        tone: action.level.tone,
        // An imported PM without a Slack id yet is found by e-mail when the DM is sent.
        channel: view.pmSlackUserId ?? "",
        memberId: view.pmMemberId,
        sendOn: tomorrow,
      },
    });
    if (id) claimed.push(id);
  }
  return claimed;
}

async function alertBrokenPromise(
  db: Db,
  workspace: WorkspaceRow,
  view: InvoiceCollectionView,
  promisedOn: string,
): Promise<string[]> {
  await recordAudit(db, {
    workspaceId: workspace.id,
    actor: "system",
    action: "collection.promise_broken",
    entity: "invoice",
    entityId: view.invoiceId,
    before: { promisedOn },
    after: { promisedOn: null, openMinor: view.openMinor },
  });
  const ids: string[] = [];
  const recipients = [view.collectorSlackUserId, view.pmSlackUserId, workspace.collectionsChannelId].filter(
    (r): r is string => Boolean(r),
  );
  for (const channel of new Set(recipients)) {
    const id = await claimDelivery(db, {
      workspaceId: workspace.id,
      kind: channel.startsWith("C") || channel.startsWith("G") ? "slack_message" : "slack_dm",
      invoiceId: view.invoiceId,
      dedupeKey: `promise-broken:${view.invoiceId}:${promisedOn}:${channel}`,
      payload: { type: PROMISE_BROKEN_PAYLOAD, invoiceId: view.invoiceId, promisedOn, channel },
    });
    if (id) ids.push(id);
  }
  const event = await notifyInvoiceEvent(db, {
    workspaceId: workspace.id,
    invoiceId: view.invoiceId,
    event: "promise_to_pay",
    occurrence: `broken:${promisedOn}`,
    detail: { broken: true, promisedOn, openMinor: view.openMinor },
  });
  if (event) ids.push(event);
  return ids;
}

export type CollectionTarget = { workspace: WorkspaceRow; view: InvoiceCollectionView; today: string };

/** Workspace, invoice and local "today" for a collection action; refuses invoices of other workspaces. */
export async function loadCollectionTarget(
  db: Db,
  workspaceId: string,
  invoiceId: string,
  now: Date,
): Promise<CollectionTarget> {
  const workspace = await findWorkspaceById(db, workspaceId);
  const view = workspace ? await findInvoiceCollection(db, workspaceId, invoiceId) : null;
  if (!workspace || !view) {
    throw new DomainError("invoice.not_found", `invoice ${invoiceId} not found in ${workspaceId}`, {
      userMessage: "This invoice no longer exists in this workspace.",
    });
  }
  if (!["issued", "partially_paid", "paid"].includes(view.status) || !view.number) {
    throw new DomainError("collection.not_receivable", `invoice ${invoiceId} is ${view.status}`, {
      userMessage: `Invoice ${view.number ?? "(draft)"} is ${view.status}: there is nothing to collect.`,
    });
  }
  await ensureCollection(db, workspaceId, invoiceId);
  return { workspace, view, today: localToday(now, workspace.timeZone) };
}
