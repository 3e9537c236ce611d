// Runs one claimed delivery: lease the row, call the handler for its kind, record the outcome.
import { and, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import type { Db } from "../db/client.ts";
import { deliveries, deliverySends } from "../db/schema/index.ts";
import { isDomainError } from "../domain/errors.ts";
import type { Logger } from "../logger.ts";
import { claimDelivery } from "./claim-delivery.ts";
import { ConfirmedByPersonError, OutcomeUnknownError, RetryLaterError } from "./errors.ts";
import type { Queue } from "./queue.ts";
import { answersWritten, runAsDeliveryAttempt } from "./send-once.ts";

export { RetryLaterError };

export const DELIVERY_QUEUE = "delivery";
/** E-mails have their own queue and places: they never wait behind Slack's pacing, nor it behind them. */
export const EMAIL_DELIVERY_QUEUE = "delivery-email";

const queueOf = (kind: DeliveryRow["kind"]) => (kind === "email" ? EMAIL_DELIVERY_QUEUE : DELIVERY_QUEUE);

export type DeliveryRow = typeof deliveries.$inferSelect;

export type DeliveryHandler = (delivery: DeliveryRow) => Promise<Record<string, unknown> | undefined>;
export type DeliveryHandlers = Partial<Record<DeliveryRow["kind"], DeliveryHandler>>;

export type DeliveryOutcome =
  | { status: "sent" }
  | { status: "alreadyDone" }
  /** `slots`: posting slots reserved for the retry, to hand to it (see runDelivery). */
  | { status: "retryLater"; seconds: number; delayMs: number; slots?: Record<string, number> }
  | { status: "failed"; error: string }
  /** A person is asked in Slack whether it arrived; `questionId` is the delivery asking (to enqueue). */
  | { status: "unknown"; questionId: string | null };

/** The Slack post asking billing whether a send whose outcome is unknown arrived. */
export const DELIVERY_QUESTION_PAYLOAD = "delivery_question";

const LEASE_SECONDS = 300;

/** Leases the row, and says whether an earlier attempt wrote down provider calls (to look up). */
async function leaseDelivery(
  db: Db,
  id: string,
): Promise<(DeliveryRow & { earlierSends: boolean }) | undefined> {
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
    .returning({
      ...getTableColumns(deliveries),
      // Spelled out: drizzle leaves columns unqualified in RETURNING, where "id" would be the sends'.
      earlierSends: sql<boolean>`exists (select 1 from delivery_sends s where s.delivery_id = "deliveries"."id")`,
    });
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
  options: { slots?: Record<string, number>; waitOutside?: (ms: number) => Promise<void> } = {},
): Promise<DeliveryOutcome> {
  const leased = await leaseDelivery(db, id);
  if (!leased) return { status: "alreadyDone" };
  const { earlierSends, ...delivery } = leased;
  const handler = handlers[delivery.kind];
  const attempt: Parameters<typeof runAsDeliveryAttempt>[0] = {
    db,
    deliveryId: delivery.id,
    workspaceId: delivery.workspaceId,
    slots: { ...options.slots },
    waitOutside: options.waitOutside,
    noEarlierSends: !earlierSends,
  };
  // Ends the attempt in one statement: the answers of its provider calls and the delivery's outcome.
  const release = (values: PgUpdateSetSource<typeof deliveries>) =>
    db.execute(
      sql`${answersWritten(id, attempt.answers)}${db
        .update(deliveries)
        .set({ lockedUntil: null, ...values })
        .where(eq(deliveries.id, id))
        .getSQL()}`,
    );
  if (!handler) {
    await release({ status: "failed", lastError: `no handler for ${delivery.kind}` });
    return { status: "failed", error: `no handler for ${delivery.kind}` };
  }
  try {
    const result = await runAsDeliveryAttempt(attempt, () => handler(delivery));
    await release({ status: "sent", sentAt: new Date(), result: result ?? null, lastError: null });
    return { status: "sent" };
  } catch (error) {
    if (error instanceof ConfirmedByPersonError) {
      await release({ status: "sent", sentAt: new Date(), result: error.confirmation, lastError: null });
      return { status: "sent" };
    }
    if (error instanceof OutcomeUnknownError)
      return markUnknown(db, delivery, error.message, logger, release);
    if (error instanceof RetryLaterError) {
      // Waiting for a slot or for a provider that said when is not a failed attempt.
      await release({
        lastError: error.message,
        nextRunAt: sql`now() + make_interval(secs => ${error.delayMs / 1000})`,
        ...(error.failure ? {} : { attempts: sql`${deliveries.attempts} - 1` }),
      });
      return { status: "retryLater", seconds: error.seconds, delayMs: error.delayMs, slots: attempt.slots };
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

/** Why a delivery run did not send, in words for a terminal. */
export function explainUnsent(outcome: Exclude<DeliveryOutcome, { status: "sent" | "alreadyDone" }>): string {
  if (outcome.status === "failed") return outcome.error;
  if (outcome.status === "unknown") {
    return "an earlier attempt may have sent it and the provider cannot tell; billing is asked in Slack (Send again / It arrived)";
  }
  return `try again in ${outcome.seconds} s`;
}

async function markUnknown(
  db: Db,
  delivery: DeliveryRow,
  reason: string,
  logger: Logger,
  release: (values: PgUpdateSetSource<typeof deliveries>) => Promise<unknown>,
): Promise<DeliveryOutcome> {
  const lastError = `May have been sent before Cobro stopped; ${reason}`;
  // With the answers of this attempt's calls that did go through: the retry must not repeat them.
  await release({ status: "unknown", lastError });
  logger.warn({ deliveryId: delivery.id }, lastError);
  // Asking twice is harmless, so a question that is itself unknown simply goes again.
  if ((delivery.payload as { type?: unknown }).type === DELIVERY_QUESTION_PAYLOAD) {
    await db.delete(deliverySends).where(eq(deliverySends.deliveryId, delivery.id));
    await db.update(deliveries).set({ status: "pending" }).where(eq(deliveries.id, delivery.id));
    return { status: "retryLater", seconds: 1, delayMs: 1000 };
  }
  const questionId = await claimDelivery(db, {
    workspaceId: delivery.workspaceId,
    kind: "slack_message",
    // Per attempt: after "Send again", a second crash asks again.
    dedupeKey: `delivery-question:${delivery.id}:${delivery.attempts}`,
    invoiceId: delivery.invoiceId,
    payload: { type: DELIVERY_QUESTION_PAYLOAD, deliveryId: delivery.id },
  });
  return { status: "unknown", questionId };
}

type DeliveryJob = { deliveryId: string; slots?: Record<string, number> };

/** Hands claimed deliveries to their queue (e-mails, Slack) and wakes this process's workers at once. */
export async function enqueueDeliveries(db: Db, queue: Queue, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const rows = await db
    .update(deliveries)
    .set({ nextRunAt: sql`now()` })
    .where(inArray(deliveries.id, ids))
    .returning({ id: deliveries.id, kind: deliveries.kind });
  for (const name of [DELIVERY_QUEUE, EMAIL_DELIVERY_QUEUE]) {
    const jobs = rows
      .filter((row) => queueOf(row.kind) === name)
      .map((row): DeliveryJob => ({ deliveryId: row.id }));
    if (jobs.length === 0) continue;
    await queue.sendMany(name, jobs);
    queue.wake(name);
  }
}

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
