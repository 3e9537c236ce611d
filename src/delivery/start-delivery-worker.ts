// The worker of both delivery queues.
import type { Db } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import { type DeliveryHandlers, runDelivery } from "./deliver.ts";
import {
  DELIVERY_QUEUE,
  type DeliveryJob,
  EMAIL_DELIVERY_QUEUE,
  enqueueDeliveries,
} from "./enqueue-deliveries.ts";
import type { Queue } from "./queue.ts";

/**
 * Works deliveries `concurrency` at a time, Slack posts and e-mails each with their own places. A
 * delivery whose channel's slot is seconds away waits for it here without holding a place; one that
 * must wait longer (a busy channel, a 429) goes back to its queue for exactly when it may go, and
 * the worker wakes then.
 */
export async function startDeliveryWorker(
  queue: Queue,
  db: Db,
  handlers: DeliveryHandlers,
  logger: Logger,
  options: { concurrency?: number } = {},
): Promise<void> {
  for (const name of [DELIVERY_QUEUE, EMAIL_DELIVERY_QUEUE]) {
    // pg-boss only looks at its clock when it polls: a job due sooner wakes the worker itself.
    const wakeLater = (at: number) => {
      setTimeout(() => queue.wake(name), Math.max(0, at - Date.now())).unref();
    };
    await queue.work<DeliveryJob>(
      name,
      async ({ deliveryId, slots }, _job, place) => {
        const outcome = await runDelivery(db, handlers, deliveryId, logger, {
          ...(slots ? { slots } : {}),
          waitOutside: place.waitOutside,
        });
        if (outcome.status === "retryLater") {
          const at = Date.now() + outcome.delayMs;
          const job: DeliveryJob = { deliveryId, ...(outcome.slots ? { slots: outcome.slots } : {}) };
          // Ahead of fresh work once due: its slot is now, a new claim can take the next one.
          await queue.send(name, job, { startAfter: new Date(at), priority: 1 });
          wakeLater(at);
        }
        if (outcome.status === "unknown" && outcome.questionId) {
          await enqueueDeliveries(db, queue, [outcome.questionId]);
        }
      },
      { concurrency: options.concurrency ?? 8 },
    );
  }
}
