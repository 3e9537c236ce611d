// Claims a side effect (e-mail, Slack post) before it happens: the unique key decides who acts.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { deliveries } from "../db/schema/index.ts";

export type DeliveryKind = (typeof deliveries.$inferInsert)["kind"];

export type DeliveryClaim = {
  workspaceId: string;
  kind: DeliveryKind;
  /** What makes this effect unique, e.g. `invoice-email:<invoiceId>:<sendRequestId>`. */
  dedupeKey: string;
  invoiceId?: string | null;
  payload: Record<string, unknown>;
};

/** Inserts the claim rows; returns the ids of the rows this call inserted (the others existed). */
export async function claimDeliveries(db: Db, claims: DeliveryClaim[]): Promise<string[]> {
  return [...(await claimDeliveriesReturningKeys(db, claims)).values()];
}

/** Like claimDeliveries, answering which dedupe keys this call inserted, with their row ids. */
export async function claimDeliveriesReturningKeys(
  db: Db,
  claims: DeliveryClaim[],
): Promise<Map<string, string>> {
  if (claims.length === 0) return new Map();
  const rows = await db
    .insert(deliveries)
    .values(claims.map((c) => ({ ...c, invoiceId: c.invoiceId ?? null })))
    .onConflictDoNothing({ target: [deliveries.workspaceId, deliveries.dedupeKey] })
    .returning({ id: deliveries.id, dedupeKey: deliveries.dedupeKey });
  return new Map(rows.map((row) => [row.dedupeKey, row.id]));
}

export async function claimDelivery(db: Db, claim: DeliveryClaim): Promise<string | null> {
  const [id] = await claimDeliveries(db, [claim]);
  return id ?? null;
}

/**
 * Pending deliveries to queue (again): never queued by their claimer (a CLI run, another process)
 * for `unqueuedSeconds`, or due for `stalledSeconds` with nobody working on them (a lost job).
 */
export async function findStalledDeliveries(
  db: Db,
  options: { unqueuedSeconds: number; stalledSeconds: number },
  limit = 500,
): Promise<string[]> {
  const rows = await db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      sql`${deliveries.status} = 'pending'
        and (${deliveries.lockedUntil} is null or ${deliveries.lockedUntil} < now())
        and (
          (${deliveries.nextRunAt} is null
            and ${deliveries.createdAt} < now() - make_interval(secs => ${options.unqueuedSeconds}))
          or ${deliveries.nextRunAt} < now() - make_interval(secs => ${options.stalledSeconds})
        )`,
    )
    .limit(limit);
  return rows.map((row) => row.id);
}
