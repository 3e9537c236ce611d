// Submitted timesheets a member may decide (App Home), oldest first. A read with a bare db: the
// Home builds itself outside any one request.
import type { Db } from "../db/client.ts";
import { loadTimesheetSummary } from "./load-timesheet-summary.ts";
import { listPendingApprovalIds } from "./repo.ts";
import type { TimesheetSummary } from "./slack/timesheet-messages.ts";

export async function listPendingApprovals(
  db: Db,
  workspaceId: string,
  memberId: string,
  limit = 30,
): Promise<TimesheetSummary[]> {
  const out: TimesheetSummary[] = [];
  for (const id of await listPendingApprovalIds(db, workspaceId, memberId, limit)) {
    out.push(await loadTimesheetSummary(db, workspaceId, id));
  }
  return out;
}
