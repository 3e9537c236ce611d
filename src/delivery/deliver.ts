// Runs one claimed delivery: lease the row, call the handler for its kind, record the outcome.

import type { Db } from "../db/client.ts";
import type { DeliveryOutcome } from "../domain/delivery-outcome.ts";
import { isDomainError } from "../domain/errors.ts";
import type { Logger } from "../logger.ts";
import { ConfirmedByPersonError, OutcomeUnknownError, RetryLaterError } from "./errors.ts";
import {
  type AttemptEnd,
  claimDelivery,
  type DeliveryRow,
  endAttempt,
  leaseDelivery,
  restartDelivery,
} from "./repo.ts";
import { type Attempt, deliveryAttempt } from "./send-once.ts";

export type { DeliveryOutcome, DeliveryRow };
export { RetryLaterError };

export type DeliveryHandler = (delivery: DeliveryRow) => Promise<Record<string, unknown> | undefined>;
export type DeliveryHandlers = Partial<Record<DeliveryRow["kind"], DeliveryHandler>>;

/** The Slack post asking billing whether a send whose outcome is unknown arrived. */
export const DELIVERY_QUESTION_PAYLOAD = "delivery_question";

const LEASE_SECONDS = 300;

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
  const leased = await leaseDelivery(db, id, LEASE_SECONDS);
  if (!leased) return { status: "alreadyDone" };
  const { earlierSends, ...delivery } = leased;
  const handler = handlers[delivery.kind];
  const attempt: Attempt = {
    db,
    deliveryId: delivery.id,
    workspaceId: delivery.workspaceId,
    slots: { ...options.slots },
    waitOutside: options.waitOutside,
    noEarlierSends: !earlierSends,
  };
  // Ends the attempt in one statement: the answers of its provider calls and the delivery's outcome.
  const release = (end: AttemptEnd) => endAttempt(db, id, attempt.answers, end);
  if (!handler) {
    await release({ status: "failed", lastError: `no handler for ${delivery.kind}` });
    return { status: "failed", error: `no handler for ${delivery.kind}` };
  }
  try {
    const result = await deliveryAttempt.run(attempt, () => handler(delivery));
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
        retryInSeconds: error.delayMs / 1000,
        ...(error.failure ? {} : { notAnAttempt: true }),
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

async function markUnknown(
  db: Db,
  delivery: DeliveryRow,
  reason: string,
  logger: Logger,
  release: (end: AttemptEnd) => Promise<unknown>,
): Promise<DeliveryOutcome> {
  const lastError = `May have been sent before Cobro stopped; ${reason}`;
  // With the answers of this attempt's calls that did go through: the retry must not repeat them.
  await release({ status: "unknown", lastError });
  logger.warn({ deliveryId: delivery.id }, lastError);
  // Asking twice is harmless, so a question that is itself unknown simply goes again.
  if ((delivery.payload as { type?: unknown }).type === DELIVERY_QUESTION_PAYLOAD) {
    await restartDelivery(db, delivery.id);
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
