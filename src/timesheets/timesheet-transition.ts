// Shared by submit/approve/reject: load, check, compare-and-set, history, audit, claim the DM.
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { claimDelivery } from "../delivery/index.ts";
import { DomainError } from "../domain/errors.ts";
import { auditActorOf, memberIdOf, rolesOf } from "../domain/permissions.ts";
import {
  assertApprover,
  designatedApprover,
  type TimesheetAction,
  type TimesheetState,
  transitionTimesheet,
} from "../domain/timesheet-state.ts";
import {
  appendTimesheetHistory,
  casTimesheetStatus,
  countTimesheetEntries,
  findMemberByEmail,
  findMemberById,
  findTimesheet,
  type TimesheetDetail,
  type TimesheetRow,
} from "./repo.ts";
import { TIMESHEET_PAYLOADS } from "./timesheet-payloads.ts";

export type TransitionResult = {
  timesheetId: string;
  status: TimesheetState;
  version: number;
  /** The same action was already done (a double click): nothing happened twice. */
  alreadyDone: boolean;
  message: string;
};

async function loadTimesheetOrFail(db: Db, workspaceId: string, timesheetId: string) {
  const sheet = await findTimesheet(db, workspaceId, timesheetId);
  if (!sheet) {
    throw new DomainError("timesheet.not_found", `timesheet ${timesheetId} not found`, {
      userMessage: "This timesheet no longer exists.",
      messageKey: "timesheets.error.not_found",
    });
  }
  return sheet;
}

/** The e-mail of the member who acts (an approver never decides their own time). */
async function actorEmail(db: Db, ctx: Ctx): Promise<string | null> {
  const memberId = memberIdOf(ctx.actor);
  return memberId ? ((await findMemberById(db, ctx.workspaceId, memberId))?.email ?? null) : null;
}

/** Only the person whose time it is submits it (or an admin, or the operator at the CLI). */
async function assertMaySubmit(db: Db, ctx: Ctx, sheet: TimesheetDetail): Promise<void> {
  if (ctx.actor.kind === "cli" || rolesOf(ctx.actor).includes("admin")) return;
  const email = await actorEmail(db, ctx);
  if (email && email.toLowerCase() === sheet.personEmail.toLowerCase()) return;
  throw new DomainError("permission.denied", "not the person's timesheet", {
    userMessage: "Only the person whose time it is (or an admin) can submit this timesheet.",
  });
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
  ctx: Ctx,
  input: {
    timesheetId: string;
    action: TimesheetAction;
    expectedVersion?: number;
    reason?: string | null;
  },
): Promise<TransitionResult> {
  const now = ctx.now();
  const actor = auditActorOf(ctx.actor);
  const decidedByMemberId = memberIdOf(ctx.actor);
  let claimed: string | null = null;
  const result = await ctx.db.transaction(async (tx): Promise<TransitionResult> => {
    const sheet = await loadTimesheetOrFail(tx, ctx.workspaceId, input.timesheetId);
    if (input.action === "submit") await assertMaySubmit(tx, ctx, sheet);
    const label = `${sheet.projectCode} (${sheet.personEmail}, week of ${sheet.periodStart})`;
    const labelValues = sheetLabelValues(sheet);
    if (input.action === "approve" || input.action === "reject" || input.action === "reopen") {
      assertApprover(
        { memberId: decidedByMemberId, email: await actorEmail(tx, ctx), roles: rolesOf(ctx.actor) },
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
      hasEntries = (await countTimesheetEntries(tx, sheet.id, { billedOnly: false })) > 0;
    }
    const move = transitionTimesheet(sheet.status, input.action, { reason: input.reason, hasEntries });
    if (input.action === "reopen") {
      if ((await countTimesheetEntries(tx, sheet.id, { billedOnly: true })) > 0) {
        throw new DomainError("timesheet.billed", "timesheet has invoiced entries", {
          userMessage: `Timesheet ${label} is already invoiced; correct it with a credit note instead.`,
          messageKey: "timesheets.error.billed",
          messageValues: labelValues,
        });
      }
    }
    const updated = await casTimesheetStatus(tx, {
      workspaceId: ctx.workspaceId,
      timesheetId: sheet.id,
      from: move.from,
      to: move.to,
      expectedVersion: sheet.version,
      at: now,
      reason: input.reason?.trim() ?? null,
      decidedByMemberId,
    });
    if (!updated) return lostRace(tx, ctx.workspaceId, input, label, labelValues);
    await appendTimesheetHistory(tx, [
      {
        workspaceId: ctx.workspaceId,
        timesheetId: sheet.id,
        fromStatus: move.from,
        toStatus: move.to,
        actor,
        reason: input.reason?.trim() || null,
        version: updated.version,
        at: now,
      },
    ]);
    await recordAudit(tx, {
      workspaceId: ctx.workspaceId,
      actor,
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
  if (claimed) await ctx.enqueue([claimed]);
  return result;
}

async function lostRace(
  tx: Db,
  workspaceId: string,
  input: { timesheetId: string; action: TimesheetAction },
  label: string,
  labelValues: Record<string, string | number>,
): Promise<TransitionResult> {
  const now = await loadTimesheetOrFail(tx, workspaceId, input.timesheetId);
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
  const notice = await noticeOf(tx, sheet, updated, action);
  if (!notice) return null;
  return claimDelivery(tx, {
    workspaceId: sheet.workspaceId,
    kind: "slack_dm",
    dedupeKey: `${notice.key}:${sheet.id}:v${updated.version}`,
    payload: { ...notice.payload, timesheetId: sheet.id, version: updated.version },
  });
}

/** The DM a move owes: the approval request on submit, the decision to the person on approve or reject. */
async function noticeOf(
  tx: Db,
  sheet: TimesheetDetail,
  updated: TimesheetRow,
  action: TimesheetAction,
): Promise<{ key: string; payload: Record<string, unknown> } | null> {
  if (action === "submit") {
    return {
      key: "timesheet-approval",
      payload: { type: TIMESHEET_PAYLOADS.approvalRequest, approverMemberId: designatedApprover(sheet) },
    };
  }
  if (action !== "approve" && action !== "reject") return null;
  const person = sheet.memberId
    ? { id: sheet.memberId }
    : await findMemberByEmail(tx, sheet.workspaceId, sheet.personEmail);
  if (!person) return null;
  return {
    key: "timesheet-decision",
    payload: {
      type: TIMESHEET_PAYLOADS.decision,
      decision: updated.status,
      reason: updated.rejectionReason,
      personMemberId: person.id,
    },
  };
}
