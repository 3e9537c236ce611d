// Bulk approval from the App Home: every submitted timesheet the approver may decide, in one
// compare-and-set statement; the others are reported with the reason they were skipped.
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { claimDeliveries, type DeliveryClaim } from "../delivery/index.ts";
import { auditActorOf, memberIdOf, rolesOf } from "../domain/permissions.ts";
import {
  type ApproverRefusal,
  approverRefusal,
  designatedApprover,
  type TimesheetState,
} from "../domain/timesheet-state.ts";
import {
  appendTimesheetHistory,
  approveSubmittedTimesheets,
  findMemberByEmail,
  findMemberById,
  listTimesheetsForApproval,
} from "./repo.ts";
import { TIMESHEET_PAYLOADS } from "./timesheet-payloads.ts";

/** Why a timesheet was left out, for the approver's reply in their language. */
export type SkipReason =
  | { kind: "not_found" }
  | { kind: ApproverRefusal; project: string }
  | { kind: "already"; status: TimesheetState }
  | { kind: "resubmitted" }
  | { kind: "changed" };

export type ApproveTimesheetsResult = {
  approved: string[];
  skipped: { timesheetId: string; reason: SkipReason }[];
};

/** Permission: each sheet's approver; the sheets the actor may not decide are skipped with the reason. */
export async function approveTimesheets(
  ctx: Ctx,
  input: {
    /** Each with the version the approver saw; a timesheet resubmitted since is skipped. */
    timesheets: { id: string; version: number }[];
  },
): Promise<ApproveTimesheetsResult> {
  const now = ctx.now();
  const workspaceId = ctx.workspaceId;
  const actor = auditActorOf(ctx.actor);
  const memberId = memberIdOf(ctx.actor);
  const skipped: ApproveTimesheetsResult["skipped"] = [];
  let claimed: string[] = [];
  const approved = await ctx.db.transaction(async (tx) => {
    const ids = [...new Set(input.timesheets.map((t) => t.id))];
    if (ids.length === 0) return [];
    const me = memberId ? await findMemberById(tx, workspaceId, memberId) : undefined;
    const rows = await listTimesheetsForApproval(tx, workspaceId, ids);
    const seen = new Map(input.timesheets.map((t) => [t.id, t.version]));
    const allowed: { id: string; version: number }[] = [];
    for (const id of ids) {
      const row = rows.find((r) => r.id === id);
      if (!row) {
        skipped.push({ timesheetId: id, reason: { kind: "not_found" } });
        continue;
      }
      const refusal = approverRefusal(
        { memberId, email: me?.email ?? null, roles: rolesOf(ctx.actor) },
        {
          designatedApproverId: designatedApprover(row),
          personEmail: row.personEmail,
          projectLabel: row.projectCode,
        },
      );
      if (refusal) skipped.push({ timesheetId: id, reason: { kind: refusal, project: row.projectCode } });
      else if (row.status !== "submitted")
        skipped.push({ timesheetId: id, reason: { kind: "already", status: row.status } });
      else if (seen.get(id) !== row.version)
        skipped.push({ timesheetId: id, reason: { kind: "resubmitted" } });
      else allowed.push({ id, version: row.version });
    }
    if (allowed.length === 0) return [];
    const updated = await approveSubmittedTimesheets(tx, workspaceId, allowed, {
      at: now,
      decidedByMemberId: memberId,
    });
    const won = new Set(updated.map((u) => u.id));
    for (const a of allowed)
      if (!won.has(a.id)) skipped.push({ timesheetId: a.id, reason: { kind: "changed" } });
    await appendTimesheetHistory(
      tx,
      updated.map((u) => ({
        workspaceId,
        timesheetId: u.id,
        fromStatus: "submitted",
        toStatus: "approved",
        actor,
        version: u.version,
        at: now,
      })),
    );
    await recordAudit(
      tx,
      updated.map((u) => ({
        workspaceId,
        actor,
        action: "timesheet.approved",
        entity: "timesheet",
        entityId: u.id,
        after: { status: "approved", version: u.version, bulk: true },
      })),
    );
    const claims: DeliveryClaim[] = [];
    for (const u of updated) {
      const personId = u.memberId ?? (await findMemberByEmail(tx, workspaceId, u.personEmail))?.id;
      if (!personId) continue;
      claims.push({
        workspaceId,
        kind: "slack_dm",
        dedupeKey: `timesheet-decision:${u.id}:v${u.version}`,
        payload: {
          type: TIMESHEET_PAYLOADS.decision,
          timesheetId: u.id,
          version: u.version,
          decision: "approved",
          personMemberId: personId,
        },
      });
    }
    claimed = await claimDeliveries(tx, claims);
    return updated.map((u) => u.id);
  });
  if (claimed.length > 0) await ctx.enqueue(claimed);
  return { approved, skipped };
}
