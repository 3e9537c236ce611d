// Bulk approval from the App Home: every submitted timesheet the approver may decide, in one
// compare-and-set statement; the others are reported with the reason they were skipped.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { members, projects, timesheets } from "../db/schema/index.ts";
import { claimDeliveries, type DeliveryClaim } from "../delivery/index.ts";
import { whyNotApprover } from "../domain/timesheet-state.ts";
import { appendTimesheetHistory, findMemberByEmail } from "./repo.ts";
import { designatedApprover, TIMESHEET_PAYLOADS, type TimesheetActor } from "./timesheet-transition.ts";

export type ApproveTimesheetsResult = {
  approved: string[];
  skipped: { timesheetId: string; reason: string }[];
};

export async function approveTimesheets(
  deps: ServiceDeps,
  input: {
    workspaceId: string;
    /** Each with the version the approver saw; a timesheet resubmitted since is skipped. */
    timesheets: { id: string; version: number }[];
    actor: TimesheetActor;
  },
): Promise<ApproveTimesheetsResult> {
  const now = deps.now();
  const skipped: ApproveTimesheetsResult["skipped"] = [];
  let claimed: string[] = [];
  const approved = await deps.db.transaction(async (tx) => {
    const ids = [...new Set(input.timesheets.map((t) => t.id))];
    if (ids.length === 0) return [];
    const [me] = input.actor.memberId
      ? await tx.select({ email: members.email }).from(members).where(eq(members.id, input.actor.memberId))
      : [];
    const rows = await tx
      .select({
        id: timesheets.id,
        status: timesheets.status,
        version: timesheets.version,
        personEmail: timesheets.personEmail,
        memberId: timesheets.memberId,
        projectCode: projects.code,
        approverMemberId: projects.approverMemberId,
        pmMemberId: projects.pmMemberId,
      })
      .from(timesheets)
      .innerJoin(projects, eq(projects.id, timesheets.projectId))
      .where(and(eq(timesheets.workspaceId, input.workspaceId), inArray(timesheets.id, ids)));
    const seen = new Map(input.timesheets.map((t) => [t.id, t.version]));
    const allowed: { id: string; version: number }[] = [];
    for (const id of ids) {
      const row = rows.find((r) => r.id === id);
      if (!row) {
        skipped.push({ timesheetId: id, reason: "not found" });
        continue;
      }
      const why = whyNotApprover(
        {
          memberId: input.actor.memberId,
          email: input.actor.email ?? me?.email ?? null,
          roles: input.actor.roles,
        },
        {
          designatedApproverId: designatedApprover(row),
          personEmail: row.personEmail,
          projectLabel: row.projectCode,
        },
      );
      if (why) skipped.push({ timesheetId: id, reason: why });
      else if (row.status !== "submitted") skipped.push({ timesheetId: id, reason: `already ${row.status}` });
      else if (seen.get(id) !== row.version)
        skipped.push({ timesheetId: id, reason: "resubmitted since; look again" });
      else allowed.push({ id, version: row.version });
    }
    if (allowed.length === 0) return [];
    const updated = await tx
      .update(timesheets)
      .set({
        status: "approved",
        version: sql`${timesheets.version} + 1`,
        decidedAt: now,
        decidedByMemberId: input.actor.memberId,
        updatedAt: now,
      })
      .where(
        and(
          eq(timesheets.workspaceId, input.workspaceId),
          eq(timesheets.status, "submitted"),
          sql`(${timesheets.id}, ${timesheets.version}) in (${sql.join(
            allowed.map((a) => sql`(${a.id}::uuid, ${a.version}::int)`),
            sql`, `,
          )})`,
        ),
      )
      .returning({
        id: timesheets.id,
        version: timesheets.version,
        personEmail: timesheets.personEmail,
        memberId: timesheets.memberId,
      });
    const won = new Set(updated.map((u) => u.id));
    for (const a of allowed)
      if (!won.has(a.id)) skipped.push({ timesheetId: a.id, reason: "changed meanwhile" });
    await appendTimesheetHistory(
      tx,
      updated.map((u) => ({
        workspaceId: input.workspaceId,
        timesheetId: u.id,
        fromStatus: "submitted",
        toStatus: "approved",
        actor: input.actor.label,
        version: u.version,
        at: now,
      })),
    );
    await recordAudit(
      tx,
      updated.map((u) => ({
        workspaceId: input.workspaceId,
        actor: input.actor.memberId ?? input.actor.label,
        action: "timesheet.approved",
        entity: "timesheet",
        entityId: u.id,
        after: { status: "approved", version: u.version, bulk: true },
      })),
    );
    const claims: DeliveryClaim[] = [];
    for (const u of updated) {
      const personId = u.memberId ?? (await findMemberByEmail(tx, input.workspaceId, u.personEmail))?.id;
      if (!personId) continue;
      claims.push({
        workspaceId: input.workspaceId,
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
  if (claimed.length > 0) await deps.enqueue(claimed);
  return { approved, skipped };
}
