// The daily reminder run: for each open invoice, the next dunning level, claimed once; the PM hears
// the day before; the open amount and blocks are checked again right before each send.

import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { commitIf } from "../db/commit-if.ts";
import { claimDelivery } from "../delivery/index.ts";
import { addDays, toDayNumber } from "../domain/calendar.ts";
import { DailyRunInput, type DailyRunOutcome } from "../domain/daily-run.ts";
import {
  collectionBlock,
  collectionState,
  isFormalNotice,
  isPromiseBroken,
  nextCollectionAction,
  type PolicyCandidate,
  resolveDunningPolicy,
} from "../domain/dunning.ts";
import { present } from "../domain/errors.ts";
import { localToday } from "../domain/overdue.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { notifyInvoiceEvent } from "../invoicing/index.ts";
import { finishScheduledRun, renewScheduledRun, type WorkspaceRow } from "../workspace/index.ts";
import { FORMAL_APPROVAL_PAYLOAD, PROMISE_BROKEN_PAYLOAD } from "./collection-payloads.ts";
import { dispatchReminder } from "./dispatch-reminder.ts";
import { lateInterestFigures } from "./late-interest-repo.ts";
import {
  claimHeadsUps,
  clearBrokenPromise,
  findRunWorkspace,
  listRemindersOf,
  type NewReminder,
  scheduleReminders,
  startDailyRun,
} from "./overdue-repo.ts";
import { loadPolicyCandidates } from "./policy-repo.ts";
import {
  type InvoiceCollectionView,
  listReminderCandidates,
  moveReminder,
  type ReminderRow,
} from "./repo.ts";

export const REMINDERS_JOB = "reminders";

/** Pre-due levels look this far ahead (the most negative offset a policy may use, plus a day). */
const PRE_DUE_HORIZON_DAYS = 31;

export type RunRemindersResult = DailyRunOutcome & {
  /** Reminders of tomorrow claimed, each heard of by its PM… */
  headsUp: number;
  /** …in one DM per PM (and day). */
  headsUpMessages: number;
  sent: number;
  awaitingApproval: number;
  skipped: number;
  brokenPromises: number;
};

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

export async function runReminders(ctx: Ctx, rawInput: DailyRunInput): Promise<RunRemindersResult> {
  assertAllowed(ctx.actor, { action: "collect" });
  const input = DailyRunInput.parse(rawInput);
  const workspace = await findRunWorkspace(ctx.db, ctx.workspaceId);
  const today = input.asOf ?? localToday(ctx.now(), workspace.timeZone);
  const result: RunRemindersResult = {
    runDate: today,
    ran: false,
    dryRun: input.dryRun,
    headsUp: 0,
    headsUpMessages: 0,
    sent: 0,
    awaitingApproval: 0,
    skipped: 0,
    brokenPromises: 0,
  };
  const runId = await startDailyRun(
    ctx.db,
    workspace.id,
    REMINDERS_JOB,
    today,
    input.claimRun && !input.dryRun,
  );
  if (!runId) return result;
  result.ran = true;
  const candidates = await loadPolicyCandidates(ctx.db, workspace.id);
  const horizon = addDays(today, PRE_DUE_HORIZON_DAYS);
  // Each page's claims commit before the next page is read: a run that dies mid-way keeps what it
  // claimed, and the run that takes over repeats none of it (every claim has its dedupe key).
  let after: string | null = null;
  do {
    const claimed: string[] = [];
    const cursor: string | null = after;
    await commitIf(ctx.db, async (tx) => {
      if (runId !== "manual") await renewScheduledRun(tx, runId);
      const views = await listReminderCandidates(tx, workspace.id, horizon, {
        after: cursor,
        limit: input.pageSize,
      });
      after = views.length === input.pageSize ? (views.at(-1)?.invoiceId ?? null) : null;
      // The page's reminders in one read (not one per invoice: most candidates only wait).
      const reminders = await listRemindersOf(
        tx,
        views.map((view) => view.invoiceId),
      );
      const page = { candidates, reminders, toSchedule: [] as NewReminder[] };
      for (const view of views) {
        claimed.push(...(await handleInvoice({ ...ctx, db: tx }, workspace, page, view, today, result)));
      }
      result.headsUp += await scheduleReminders(tx, workspace.id, page.toSchedule);
      return !input.dryRun;
    });
    if (!input.dryRun && claimed.length > 0) await ctx.enqueue(claimed);
  } while (after);
  if (!input.dryRun) {
    const headsUps = await claimHeadsUps(ctx.db, workspace.id, today, addDays(today, 1));
    result.headsUpMessages = headsUps.length;
    if (headsUps.length > 0) await ctx.enqueue(headsUps);
  }
  if (runId !== "manual") await finishScheduledRun(ctx.db, runId, { ...result });
  return result;
}

async function handleInvoice(
  ctx: Ctx,
  workspace: WorkspaceRow,
  page: { candidates: PolicyCandidate[]; reminders: Map<string, ReminderRow>; toSchedule: NewReminder[] },
  view: InvoiceCollectionView,
  today: string,
  result: RunRemindersResult,
): Promise<string[]> {
  // ctx.db is the page's transaction.
  const { db } = ctx;
  const claimed: string[] = [];
  const policy = resolveDunningPolicy(page.candidates, view);
  let state = collectionState(view);
  if (isPromiseBroken(state, today)) {
    const broken = await clearBrokenPromise(db, workspace.id, view.invoiceId, state.promisedOn);
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
  const pending = page.reminders.get(`${view.invoiceId}:${nextLevel.level}`) ?? null;
  if (pending && (pending.status === "scheduled" || pending.status === "awaiting_approval")) {
    if (toDayNumber(pending.dueOn) > toDayNumber(today)) return claimed;
    const block = collectionBlock(state, today);
    if (!block && isFormalNotice(nextLevel) && !state.formalApproved) {
      const ids = await requestFormalApproval(db, workspace, view, pending, today);
      if (pending.status === "scheduled") result.awaitingApproval++;
      return [...claimed, ...ids];
    }
    const sent = await dispatchReminder(ctx, { workspace, view, reminder: pending, level: nextLevel, today });
    if (sent.outcome === "sent") result.sent++;
    if (sent.outcome === "skipped") result.skipped++;
    return [...claimed, ...sent.deliveryIds];
  }
  if (pending) return claimed;
  const action = nextCollectionAction(policy, state, today);
  if (action.kind !== "wait" && action.kind !== "send" && action.kind !== "await_approval") return claimed;
  const tomorrow = addDays(today, 1);
  if (toDayNumber(action.sendOn) > toDayNumber(tomorrow)) return claimed;
  // The PM always hears the day before: a reminder found due today goes tomorrow. Claimed with the
  // rest of the page in one statement; its PM hears of it in the run's one heads-up DM per PM.
  page.toSchedule.push({
    workspaceId: workspace.id,
    invoiceId: view.invoiceId,
    level: action.level.level,
    tone: action.level.tone,
    channel: action.level.channel,
    dueOn: tomorrow,
  });
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
