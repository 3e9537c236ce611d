// Provider calls that may have happened before a crash are not repeated blindly: each call of a
// delivery is written down before it goes out and completed with the provider's answer. A call
// written but never completed is looked up at the provider on the next attempt; when the provider
// cannot tell, the delivery becomes "unknown" and a person decides.
import { AsyncLocalStorage } from "node:async_hooks";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { deliverySends } from "../db/schema/index.ts";
import { isDomainError } from "../domain/errors.ts";
import { ConfirmedByPersonError, RetryLaterError } from "./errors.ts";

type Attempt = {
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
const current = new AsyncLocalStorage<Attempt>();

export function runAsDeliveryAttempt<T>(attempt: Attempt, work: () => Promise<T>): Promise<T> {
  return current.run(attempt, work);
}

/** The delivery being attempted, for the provider tags (SendGrid custom arg, Slack metadata). */
export function currentDeliveryId(): string | undefined {
  return current.getStore()?.deliveryId;
}

/** The slot this delivery reserved for `channel` on an earlier attempt, if any. */
export function heldSlot(channel: string): number | undefined {
  return current.getStore()?.slots?.[channel];
}

/** Remembers a reserved slot so that the retry at that time posts without queueing again. */
export function holdSlot(channel: string, at: number | undefined): void {
  const attempt = current.getStore();
  if (!attempt) return;
  attempt.slots ??= {};
  if (at === undefined) delete attempt.slots[channel];
  else attempt.slots[channel] = at;
}

/**
 * Waits `ms` within this attempt, its worker place lent to other jobs meanwhile; false (no wait)
 * when no worker runs this attempt (a CLI send), which then goes back to the queue instead.
 */
export async function waitWithinAttempt(ms: number): Promise<boolean> {
  const waitOutside = current.getStore()?.waitOutside;
  if (!waitOutside) return false;
  await waitOutside(ms);
  return true;
}

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
  const attempt = current.getStore();
  if (!attempt) {
    await call.ready?.();
    return call.send(call.key);
  }
  const { db, deliveryId } = attempt;
  attempt.calls ??= new Map();
  const nth = (attempt.calls.get(call.key) ?? 0) + 1;
  attempt.calls.set(call.key, nth);
  const key = nth === 1 ? call.key : `${call.key}#${nth}`;
  const where = and(eq(deliverySends.deliveryId, deliveryId), eq(deliverySends.sendKey, key));
  const [earlier] = attempt.noEarlierSends ? [] : await db.select().from(deliverySends).where(where);
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
    await db.update(deliverySends).set({ startedAt: new Date() }).where(where);
  } else {
    const written = await call.ready?.({ workspaceId: attempt.workspaceId, deliveryId, sendKey: key });
    if (!written) {
      await db
        .insert(deliverySends)
        .values({ workspaceId: attempt.workspaceId, deliveryId, sendKey: key })
        .onConflictDoNothing();
    }
  }
  try {
    return await complete(await call.send(key));
  } catch (error) {
    if (providerAnswered(error)) await db.delete(deliverySends).where(where);
    throw error;
  }
}

/**
 * The answers of this attempt's calls as one statement's CTE (`with … as (update delivery_sends …)`),
 * to prefix the statement that ends the attempt; empty when there are none.
 */
export function answersWritten(
  deliveryId: string,
  answers: Map<string, Record<string, unknown>> | undefined,
): SQL {
  if (!answers || answers.size === 0) return sql``;
  const rows = [...answers.entries()].map(
    ([key, result]) => sql`(${key}::text, ${JSON.stringify(result)}::jsonb)`,
  );
  return sql`with answered as (update ${deliverySends} set result = a.result from (values ${sql.join(rows, sql`, `)}) as a(send_key, result) where ${deliverySends.deliveryId} = ${deliveryId} and ${deliverySends.sendKey} = a.send_key) `;
}
