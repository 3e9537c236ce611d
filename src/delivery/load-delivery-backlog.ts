// What waits to go out and what failed, for `cobro doctor` and the App Home of admins: how many
// deliveries are pending, how long the oldest has waited, and the recent failures with their reason.
import type { Db } from "../db/client.ts";
import { countBacklog, recentFailures } from "./repo.ts";

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
  const counts = await countBacklog(db, input.workspaceId);
  const failures = await recentFailures(db, {
    workspaceId: input.workspaceId,
    days: FAILURE_DAYS,
    limit: REASONS_SHOWN,
  });
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
