// Hands claimed deliveries to their queue: e-mails and Slack posts each have their own.
import type { Db } from "../db/client.ts";
import type { Queue } from "./queue.ts";
import { type DeliveryRow, markDeliveriesDue } from "./repo.ts";

export const DELIVERY_QUEUE = "delivery";
/** E-mails have their own queue and places: they never wait behind Slack's pacing, nor it behind them. */
export const EMAIL_DELIVERY_QUEUE = "delivery-email";

const queueOf = (kind: DeliveryRow["kind"]) => (kind === "email" ? EMAIL_DELIVERY_QUEUE : DELIVERY_QUEUE);

export type DeliveryJob = { deliveryId: string; slots?: Record<string, number> };

/** Hands claimed deliveries to their queue (e-mails, Slack) and wakes this process's workers at once. */
export async function enqueueDeliveries(db: Db, queue: Queue, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await markDeliveriesDue(db, ids);
  for (const name of [DELIVERY_QUEUE, EMAIL_DELIVERY_QUEUE]) {
    const jobs = rows
      .filter((row) => queueOf(row.kind) === name)
      .map((row): DeliveryJob => ({ deliveryId: row.id }));
    if (jobs.length === 0) continue;
    await queue.sendMany(name, jobs);
    queue.wake(name);
  }
}
