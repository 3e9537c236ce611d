// Provider calls that may have happened before a crash are not repeated blindly: each call of a
// delivery is written down before it goes out and completed with the provider's answer. A call
// written but never completed is looked up at the provider on the next attempt; when the provider
// cannot tell, the delivery becomes "unknown" and a person decides.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Db } from "../db/client.ts";
import { isDomainError } from "../domain/errors.ts";
import { ConfirmedByPersonError, RetryLaterError } from "./errors.ts";
import { findSend, forgetSend, restartSend, writeSendAhead } from "./repo.ts";

export type Attempt = {
  db: Db;
  deliveryId: string;
  workspaceId: string;
  /** Posting slots this delivery reserved on an earlier attempt (channel → epoch ms), kept by its job. */
  slots?: Record<string, number>;
  /** Calls made so far in this attempt per key: a second post to one place is a second call. */
  calls?: Map<string, number>;
  /** Waits `ms` without holding a place of the worker (job-pool.ts), when a worker runs the attempt. */
  waitOutside?: ((ms: number) => Promise<void>) | undefined;
  /** True when the lease found no call written down by an earlier attempt: nothing to look up. */
  noEarlierSends?: boolean;
  /**
   * Answers of calls made in this attempt, not yet written: the statement that ends the attempt
   * (runDelivery's release) writes them, saving a round trip per call. A crash before it leaves the
   * call open, and the next attempt looks it up at the provider, as after a crash mid-call.
   */
  answers?: Map<string, Record<string, unknown>>;
};

/** The write-ahead row of one provider call, for a caller that writes it in its own statement. */
export type WriteAhead = { workspaceId: string; deliveryId: string; sendKey: string };

// The provider calls sit deep inside many handlers (three e-mail kinds, a dozen kinds of Slack
// posts): the attempt travels with the async call chain instead of through every signature.
// runDelivery runs each attempt in it; the Slack and e-mail clients read its id and slots.
export const deliveryAttempt = new AsyncLocalStorage<Attempt>();

export type LookupResult<T> = { found: true; result: T } | { found: false };

export type ProviderCall<T> = {
  /** Unique within the delivery and stable across attempts (e.g. `email`, `slack:C1:`). */
  key: string;
  /** `sendKey`: the key of this call (`key`, or `key#2` for a second call to one place), to tag it. */
  send: (sendKey: string) => Promise<T>;
  /**
   * Waits until the call may go (its channel's turn); runs only when a call will be made, before
   * it is written down, so a wait interrupted by a crash leaves nothing to look up at the provider.
   * Given `writeAhead`, it may write the call down itself in the statement that ends its wait and
   * answer true (one round trip instead of two); otherwise sendOnce writes it.
   */
  ready?: (writeAhead?: WriteAhead) => Promise<boolean | undefined>;
  /** Finds what an earlier call sent; throws OutcomeUnknownError when the provider cannot tell. */
  lookup: (startedAt: Date, sendKey: string) => Promise<LookupResult<T>>;
  /** How long after a call the provider's lookup reliably shows it (search indexes lag). */
  absentTrustedAfterMs?: number;
  /** What to continue with when a person confirmed the call arrived; without it the delivery ends sent. */
  confirmed?: (confirmation: Record<string, unknown>) => T;
};

// Connection errors that prove nothing reached the provider; any other failure without an HTTP
// answer (timeout, reset, a crash) leaves the call open for a lookup.
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function providerAnswered(error: unknown): boolean {
  if (error instanceof RetryLaterError || isDomainError(error)) return true;
  const coded = error as { code?: unknown; original?: { code?: unknown }; cause?: { code?: unknown } };
  if (typeof coded.code === "number") return true; // SendGrid: the HTTP status
  if (
    coded.code === "slack_webapi_platform_error" ||
    coded.code === "slack_webapi_http_error" ||
    coded.code === "slack_webapi_rate_limited_error"
  ) {
    return true;
  }
  const network = coded.original?.code ?? coded.cause?.code ?? coded.code;
  return typeof network === "string" && NEVER_CONNECTED.has(network);
}

export async function sendOnce<T>(call: ProviderCall<T>): Promise<T> {
  const attempt = deliveryAttempt.getStore();
  if (!attempt) {
    await call.ready?.();
    return call.send(call.key);
  }
  const { db, deliveryId } = attempt;
  attempt.calls ??= new Map();
  const nth = (attempt.calls.get(call.key) ?? 0) + 1;
  attempt.calls.set(call.key, nth);
  const key = nth === 1 ? call.key : `${call.key}#${nth}`;
  const earlier = attempt.noEarlierSends ? undefined : await findSend(db, deliveryId, key);
  if (earlier?.result) {
    const answer = earlier.result as T & { confirmedBy?: string };
    if (!answer.confirmedBy) return answer;
    if (call.confirmed) return call.confirmed(answer);
    throw new ConfirmedByPersonError(answer);
  }
  const complete = async (result: T) => {
    attempt.answers ??= new Map();
    attempt.answers.set(key, result as Record<string, unknown>);
    return result;
  };
  if (earlier) {
    const looked = await call.lookup(earlier.startedAt, key);
    if (looked.found) return complete(looked.result);
    const settleMs = earlier.startedAt.getTime() + (call.absentTrustedAfterMs ?? 0) - Date.now();
    if (settleMs > 0) throw new RetryLaterError(settleMs / 1000, "waiting for the provider's records");
    // The provider has no such message: it never arrived, so it goes now (same row, new start).
    await call.ready?.();
    await restartSend(db, deliveryId, key, new Date());
  } else {
    const written = await call.ready?.({ workspaceId: attempt.workspaceId, deliveryId, sendKey: key });
    if (!written) {
      await writeSendAhead(db, { workspaceId: attempt.workspaceId, deliveryId, sendKey: key });
    }
  }
  try {
    return await complete(await call.send(key));
  } catch (error) {
    if (providerAnswered(error)) await forgetSend(db, deliveryId, key);
    throw error;
  }
}
