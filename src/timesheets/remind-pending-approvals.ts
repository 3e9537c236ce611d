// Reminds approvers of timesheets submitted more than settings.approvalReminderDays ago: one
// reminder per timesheet per local day, however often and on however many instances this runs.
import { and, eq, sql } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { projects, timesheets, workspaces } from "../db/schema/index.ts";
import { claimDeliveries } from "../delivery/index.ts";
import { localToday } from "../domain/overdue.ts";
import { designatedApprover, TIMESHEET_PAYLOADS } from "./timesheet-transition.ts";

export const DEFAULT_APPROVAL_REMINDER_DAYS = 2;

export async function remindPendingApprovals(
  deps: ServiceDeps,
  input: { workspaceId: string },
): Promise<{ reminded: number; pending: number }> {
  const [workspace] = await deps.db.select().from(workspaces).where(eq(workspaces.id, input.workspaceId));
  if (!workspace) return { reminded: 0, pending: 0 };
  const days = workspace.settings.approvalReminderDays ?? DEFAULT_APPROVAL_REMINDER_DAYS;
  const now = deps.now();
  const today = localToday(now, workspace.timeZone);
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const rows = await deps.db
    .select({
      id: timesheets.id,
      version: timesheets.version,
      approverMemberId: projects.approverMemberId,
      pmMemberId: projects.pmMemberId,
    })
    .from(timesheets)
    .innerJoin(projects, eq(projects.id, timesheets.projectId))
    .where(
      and(
        eq(timesheets.workspaceId, input.workspaceId),
        eq(timesheets.status, "submitted"),
        sql`${timesheets.submittedAt} <= ${cutoff.toISOString()}::timestamptz`,
      ),
    );
  const ids = await claimDeliveries(
    deps.db,
    rows.map((row) => ({
      workspaceId: input.workspaceId,
      kind: "slack_dm" as const,
      dedupeKey: `timesheet-reminder:${row.id}:${today}`,
      payload: {
        type: TIMESHEET_PAYLOADS.approvalReminder,
        timesheetId: row.id,
        version: row.version,
        approverMemberId: designatedApprover(row),
      },
    })),
  );
  if (ids.length > 0) await deps.enqueue(ids);
  return { reminded: ids.length, pending: rows.length };
}
