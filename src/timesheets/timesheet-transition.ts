// Shared by submit/approve/reject: load, check, compare-and-set, history, audit, claim the DM.
import { and, eq, sql } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { members, timeEntries } from "../db/schema/index.ts";
import { claimDelivery } from "../delivery/index.ts";
import { DomainError } from "../domain/errors.ts";
import type { SlackActor } from "../domain/permissions.ts";
import {
  assertApprover,
  type TimesheetAction,
  type TimesheetState,
  transitionTimesheet,
} from "../domain/timesheet-state.ts";
import {
  appendTimesheetHistory,
  casTimesheetStatus,
  findMemberByEmail,
  findTimesheet,
  type TimesheetDetail,
  type TimesheetRow,
} from "./repo.ts";

export const TIMESHEET_PAYLOADS = {
  approvalRequest: "timesheet_approval_request",
  approvalReminder: "timesheet_approval_reminder",
  decision: "timesheet_decision",
  billingDigest: "billing_cycle_digest",
} as const;

export type TimesheetActor = {
  memberId: string | null;
  /** "slack:U…", "cli", member id… */
  label: string;
  email?: string | null;
  roles: readonly string[];
};

/** A Slack user acting on timesheets (their member id and roles; their e-mail read when needed). */
export function timesheetActorOf(actor: SlackActor): TimesheetActor {
  return { memberId: actor.memberId, label: `slack:${actor.slackUserId}`, roles: actor.roles };
}

export type TransitionResult = {
  timesheetId: string;
  status: TimesheetState;
  version: number;
  /** The same action was already done (a double click): nothing happened twice. */
  alreadyDone: boolean;
  message: string;
};

export function designatedApprover(
  sheet: Pick<TimesheetDetail, "approverMemberId" | "pmMemberId">,
): string | null {
  return sheet.approverMemberId ?? sheet.pmMemberId ?? null;
}

export async function loadTimesheetOrFail(db: Db, workspaceId: string, timesheetId: string) {
  const sheet = await findTimesheet(db, workspaceId, timesheetId);
  if (!sheet) {
    throw new DomainError("timesheet.not_found", `timesheet ${timesheetId} not found`, {
      userMessage: "This timesheet no longer exists.",
      messageKey: "timesheets.error.not_found",
    });
  }
  return sheet;
}

async function actorEmail(db: Db, workspaceId: string, actor: TimesheetActor): Promise<string | null> {
  if (actor.email !== undefined) return actor.email;
  if (!actor.memberId) return null;
  const [row] = await db
    .select({ email: members.email })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.id, actor.memberId)));
  return row?.email ?? null;
}

/** How a refusal names the timesheet, in the reader's language (the week as a date value). */
function sheetLabelValues(sheet: TimesheetDetail): Record<string, string | number> {
  return {
    project: sheet.projectCode,
    person: sheet.personEmail,
    week: Date.parse(`${sheet.periodStart}T00:00:00Z`),
  };
}

const DONE: Record<TimesheetAction, TimesheetState> = {
  submit: "submitted",
  approve: "approved",
  reject: "rejected",
  reopen: "open",
};

/**
 * Moves one timesheet. `expectedVersion` is the version the user saw (button value); when absent
 * the current one is used. A lost race is reported with the state the winner left.
 */
export async function transitionOne(
  deps: ServiceDeps,
  input: {
    workspaceId: string;
    timesheetId: string;
    action: TimesheetAction;
    actor: TimesheetActor;
    expectedVersion?: number;
    reason?: string | null;
  },
): Promise<TransitionResult> {
  const now = deps.now();
  let claimed: string | null = null;
  const result = await deps.db.transaction(async (tx): Promise<TransitionResult> => {
    const sheet = await loadTimesheetOrFail(tx, input.workspaceId, input.timesheetId);
    const label = `${sheet.projectCode} (${sheet.personEmail}, week of ${sheet.periodStart})`;
    const labelValues = sheetLabelValues(sheet);
    if (input.action === "approve" || input.action === "reject" || input.action === "reopen") {
      assertApprover(
        {
          memberId: input.actor.memberId,
          email: await actorEmail(tx, input.workspaceId, input.actor),
          roles: input.actor.roles,
        },
        {
          designatedApproverId: designatedApprover(sheet),
          personEmail: sheet.personEmail,
          projectLabel: sheet.projectCode,
        },
      );
    }
    const stale = input.expectedVersion !== undefined && input.expectedVersion !== sheet.version;
    if (sheet.status === DONE[input.action] && (input.action !== "submit" || stale)) {
      return {
        timesheetId: sheet.id,
        status: sheet.status,
        version: sheet.version,
        alreadyDone: true,
        message: `Timesheet ${label} is already ${sheet.status}.`,
      };
    }
    if (stale && sheet.status === "submitted" && input.action !== "submit") {
      throw new DomainError("timesheet.changed", "timesheet changed since the request", {
        userMessage: `Timesheet ${label} was resubmitted since this message: use the latest approval request.`,
        messageKey: "timesheets.error.changed",
        messageValues: labelValues,
      });
    }
    let hasEntries: boolean | undefined;
    if (input.action === "submit") {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(timeEntries)
        .where(eq(timeEntries.timesheetId, sheet.id));
      hasEntries = (row?.n ?? 0) > 0;
    }
    const move = transitionTimesheet(sheet.status, input.action, { reason: input.reason, hasEntries });
    if (input.action === "reopen") {
      const [billed] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(timeEntries)
        .where(and(eq(timeEntries.timesheetId, sheet.id), sql`${timeEntries.invoiceId} is not null`));
      if ((billed?.n ?? 0) > 0) {
        throw new DomainError("timesheet.billed", "timesheet has invoiced entries", {
          userMessage: `Timesheet ${label} is already invoiced; correct it with a credit note instead.`,
          messageKey: "timesheets.error.billed",
          messageValues: labelValues,
        });
      }
    }
    const updated = await casTimesheetStatus(tx, {
      workspaceId: input.workspaceId,
      timesheetId: sheet.id,
      from: move.from,
      to: move.to,
      expectedVersion: sheet.version,
      at: now,
      reason: input.reason?.trim() ?? null,
      decidedByMemberId: input.actor.memberId,
    });
    if (!updated) return lostRace(tx, input, label, labelValues);
    await appendTimesheetHistory(tx, [
      {
        workspaceId: input.workspaceId,
        timesheetId: sheet.id,
        fromStatus: move.from,
        toStatus: move.to,
        actor: input.actor.label,
        reason: input.reason?.trim() || null,
        version: updated.version,
        at: now,
      },
    ]);
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor.memberId ?? input.actor.label,
      action: `timesheet.${move.to}`,
      entity: "timesheet",
      entityId: sheet.id,
      before: { status: move.from, version: sheet.version },
      after: { status: move.to, version: updated.version, reason: input.reason ?? undefined },
    });
    claimed = await claimNotice(tx, sheet, updated, input.action);
    return {
      timesheetId: sheet.id,
      status: updated.status,
      version: updated.version,
      alreadyDone: false,
      message: `Timesheet ${label} ${move.to}.`,
    };
  });
  if (claimed) await deps.enqueue([claimed]);
  return result;
}

async function lostRace(
  tx: Db,
  input: { workspaceId: string; timesheetId: string; action: TimesheetAction },
  label: string,
  labelValues: Record<string, string | number>,
): Promise<TransitionResult> {
  const now = await loadTimesheetOrFail(tx, input.workspaceId, input.timesheetId);
  if (now.status === DONE[input.action]) {
    return {
      timesheetId: now.id,
      status: now.status,
      version: now.version,
      alreadyDone: true,
      message: `Timesheet ${label} is already ${now.status}.`,
    };
  }
  // Re-run the pure check against the state the winner left: its message says what happened.
  transitionTimesheet(now.status, input.action, { reason: "x" });
  throw new DomainError("timesheet.changed", "timesheet changed meanwhile", {
    userMessage: `Timesheet ${label} changed meanwhile; look at it again.`,
    messageKey: "timesheets.error.changed_meanwhile",
    messageValues: labelValues,
  });
}

async function claimNotice(
  tx: Db,
  sheet: TimesheetDetail,
  updated: TimesheetRow,
  action: TimesheetAction,
): Promise<string | null> {
  if (action === "submit") {
    const approver = designatedApprover(sheet);
    return claimDelivery(tx, {
      workspaceId: sheet.workspaceId,
      kind: "slack_dm",
      dedupeKey: `timesheet-approval:${sheet.id}:v${updated.version}`,
      payload: {
        type: TIMESHEET_PAYLOADS.approvalRequest,
        timesheetId: sheet.id,
        version: updated.version,
        approverMemberId: approver,
      },
    });
  }
  if (action === "approve" || action === "reject") {
    const person = sheet.memberId
      ? { id: sheet.memberId }
      : await findMemberByEmail(tx, sheet.workspaceId, sheet.personEmail);
    if (!person) return null;
    return claimDelivery(tx, {
      workspaceId: sheet.workspaceId,
      kind: "slack_dm",
      dedupeKey: `timesheet-decision:${sheet.id}:v${updated.version}`,
      payload: {
        type: TIMESHEET_PAYLOADS.decision,
        timesheetId: sheet.id,
        version: updated.version,
        decision: updated.status,
        reason: updated.rejectionReason,
        personMemberId: person.id,
      },
    });
  }
  return null;
}
