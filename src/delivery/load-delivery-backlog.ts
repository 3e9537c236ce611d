// What waits to go out and what failed, for `cobro doctor` and the App Home of admins: how many
// deliveries are pending, how long the oldest has waited, and the recent failures with their reason.
import { sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.ts";

export type DeliveryBacklog = {
  waiting: number;
  oldestWaitingSince: Date | null;
  /** Sends whose outcome a person must answer in Slack (Send again / It arrived). */
  unknown: number;
  /** Failed for good in the last FAILURE_DAYS days, by reason, most frequent first. */
  failures: { reason: string; count: number; lastAt: Date }[];
};

export const FAILURE_DAYS = 7;
const REASONS_SHOWN = 5;

export async function loadDeliveryBacklog(
  db: Db,
  input: { workspaceId?: string } = {},
): Promise<DeliveryBacklog> {
  const scope = input.workspaceId ? sql`and workspace_id = ${input.workspaceId}` : sql``;
  const [counts] = await queryRows<{ waiting: number; oldest: string | null; unknown: number }>(
    db,
    sql`select count(*) filter (where status = 'pending')::int as waiting,
               min(created_at) filter (where status = 'pending') as oldest,
               count(*) filter (where status = 'unknown')::int as unknown
          from deliveries
         where status in ('pending', 'unknown') ${scope}`,
  );
  const failures = await queryRows<{ reason: string | null; count: number; last_at: string }>(
    db,
    sql`select last_error as reason, count(*)::int as count, max(created_at) as last_at
          from deliveries
         where status = 'failed' and created_at > now() - make_interval(days => ${FAILURE_DAYS}) ${scope}
         group by last_error
         order by count(*) desc, max(created_at) desc
         limit ${REASONS_SHOWN}`,
  );
  return {
    waiting: Number(counts?.waiting ?? 0),
    oldestWaitingSince: counts?.oldest ? new Date(counts.oldest) : null,
    unknown: Number(counts?.unknown ?? 0),
    failures: failures.map((f) => ({
      reason: f.reason ?? "no reason recorded",
      count: Number(f.count),
      lastAt: new Date(f.last_at),
    })),
  };
}
