// Runs one claimed delivery: lease the row, call the handler for its kind, record the outcome.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { deliveries } from "../db/schema/index.ts";
import { isDomainError } from "../domain/errors.ts";
import type { Logger } from "../logger.ts";
import type { Queue } from "./queue.ts";

export const DELIVERY_QUEUE = "delivery";

export type DeliveryRow = typeof deliveries.$inferSelect;

/** Thrown by a handler when the provider said "later" (429 Retry-After, per-channel pacing). */
export class RetryLaterError extends Error {
  readonly seconds: number;
  constructor(seconds: number, reason: string) {
    super(reason);
    this.name = "RetryLaterError";
    this.seconds = Math.max(1, Math.ceil(seconds));
  }
}

export type DeliveryHandler = (delivery: DeliveryRow) => Promise<Record<string, unknown> | undefined>;
export type DeliveryHandlers = Partial<Record<DeliveryRow["kind"], DeliveryHandler>>;

export type DeliveryOutcome =
  | { status: "sent" }
  | { status: "alreadyDone" }
  | { status: "retryLater"; seconds: number }
  | { status: "failed"; error: string };

const LEASE_SECONDS = 300;

async function leaseDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .update(deliveries)
    .set({
      attempts: sql`${deliveries.attempts} + 1`,
      lockedUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
    })
    .where(
      and(
        eq(deliveries.id, id),
        eq(deliveries.status, "pending"),
        sql`(${deliveries.lockedUntil} is null or ${deliveries.lockedUntil} < now())`,
      ),
    )
    .returning();
  return row;
}

/**
 * Exactly one worker at a time holds a delivery; a sent or failed one is never acted on again.
 * Unexpected errors are rethrown so the queue retries with backoff; the row stays pending.
 */
export async function runDelivery(
  db: Db,
  handlers: DeliveryHandlers,
  id: string,
  logger: Logger,
): Promise<DeliveryOutcome> {
  const delivery = await leaseDelivery(db, id);
  if (!delivery) return { status: "alreadyDone" };
  const handler = handlers[delivery.kind];
  const release = (values: Partial<DeliveryRow>) =>
    db
      .update(deliveries)
      .set({ lockedUntil: null, ...values })
      .where(eq(deliveries.id, id));
  if (!handler) {
    await release({ status: "failed", lastError: `no handler for ${delivery.kind}` });
    return { status: "failed", error: `no handler for ${delivery.kind}` };
  }
  try {
    const result = await handler(delivery);
    await release({ status: "sent", sentAt: new Date(), result: result ?? null, lastError: null });
    return { status: "sent" };
  } catch (error) {
    if (error instanceof RetryLaterError) {
      await release({ lastError: error.message });
      return { status: "retryLater", seconds: error.seconds };
    }
    if (isDomainError(error)) {
      // A refusal that retrying cannot fix (no recipient, invoice credited…): stop and say why.
      await release({ status: "failed", lastError: error.userMessage });
      logger.warn({ deliveryId: id, code: error.code }, error.userMessage);
      return { status: "failed", error: error.userMessage };
    }
    await release({ lastError: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

export async function enqueueDeliveries(queue: Queue, ids: string[]): Promise<void> {
  await queue.sendMany(
    DELIVERY_QUEUE,
    ids.map((id) => ({ deliveryId: id })),
  );
}

export async function startDeliveryWorker(
  queue: Queue,
  db: Db,
  handlers: DeliveryHandlers,
  logger: Logger,
): Promise<void> {
  await queue.work<{ deliveryId: string }>(DELIVERY_QUEUE, async ({ deliveryId }) => {
    const outcome = await runDelivery(db, handlers, deliveryId, logger);
    if (outcome.status === "retryLater") {
      await queue.send(DELIVERY_QUEUE, { deliveryId }, { startAfter: outcome.seconds });
    }
  });
}

/**
 * One handler per delivery kind, dispatching on `payload.type` so each area (invoices,
 * collections, timesheets) renders its own messages: `slack_message: byPayloadType({...})`.
 */
export function byPayloadType(handlers: Record<string, DeliveryHandler>): DeliveryHandler {
  return (delivery) => {
    const type = (delivery.payload as { type?: unknown }).type;
    const handler = typeof type === "string" ? handlers[type] : undefined;
    if (!handler) {
      throw new Error(`no ${delivery.kind} handler for payload type ${String(type)}`);
    }
    return handler(delivery);
  };
}
