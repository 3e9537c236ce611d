// A bounded pool of jobs of one queue: fetches as many due jobs as it has free places (one query
// for the lot), runs them at once, completes or fails each on its own, and fetches again as soon
// as a place frees up or it is woken, else at the polling interval. Unlike pg-boss's own worker,
// which waits for a whole batch to finish, one slow job never holds back the others.
import type PgBoss from "pg-boss";

const COMPLETION_BATCH = 50;
const COMPLETION_WAIT_MS = 10;

export type JobPool = { wake: () => void; stop: () => Promise<void> };

/** What a job may do with its place: give it up while it waits (its channel's slot), then take one back. */
export type JobPlace = { waitOutside: (ms: number) => Promise<void> };

export function startJobPool<T>(
  boss: PgBoss,
  name: string,
  handler: (data: T, job: PgBoss.Job<T>, place: JobPlace) => Promise<void>,
  options: { concurrency: number; pollingIntervalMs: number; onError: (error: unknown) => void },
): JobPool {
  let running = 0;
  let held = 0;
  let stopping = false;
  let woken = false;
  let wakeUp: (() => void) | undefined;
  // Jobs back from a wait, first in line for the next free place (ahead of fetching new work):
  // their slot is now, and a post served late pushes back every later post of its channel.
  const returning: (() => void)[] = [];
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const freePlace = () => {
    const next = returning.shift();
    if (next) next();
    else {
      running--;
      wake();
    }
  };
  const place: JobPlace = {
    waitOutside: async (ms) => {
      freePlace();
      await new Promise((resolve) => setTimeout(resolve, ms));
      if (running < options.concurrency) running++;
      else await new Promise<void>((resolve) => returning.push(resolve));
    },
  };
  // Completions of jobs ending close together go to pg-boss in one statement (a lost one only
  // runs the job again, which finds its delivery done).
  let completing: { id: string; done: () => void }[] = [];
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  const flushCompletions = async () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const batch = completing;
    completing = [];
    if (batch.length === 0) return;
    try {
      await boss.complete(
        name,
        batch.map((entry) => entry.id),
      );
    } catch (error) {
      options.onError(error);
    } finally {
      for (const entry of batch) entry.done();
    }
  };
  const complete = (id: string) =>
    new Promise<void>((resolve) => {
      completing.push({ id, done: resolve });
      if (completing.length >= COMPLETION_BATCH) void flushCompletions();
      else flushTimer ??= setTimeout(() => void flushCompletions(), COMPLETION_WAIT_MS);
    });
  // The place frees up as soon as the handler is done: recording the job's end (completed, or
  // failed for a retry) is bookkeeping that needs no place.
  const settle = async (job: PgBoss.Job<T>) => {
    let failure: unknown;
    let failed = false;
    try {
      await handler(job.data, job, place);
    } catch (error) {
      failed = true;
      failure = error;
    }
    freePlace();
    try {
      if (failed) {
        await boss.fail(name, job.id, {
          message: failure instanceof Error ? failure.message : String(failure),
        });
      } else await complete(job.id);
    } catch (error) {
      options.onError(error);
    } finally {
      held--;
    }
  };
  const loop = (async () => {
    while (!stopping) {
      woken = false;
      const free = options.concurrency - running;
      let fetched = 0;
      if (free > 0) {
        try {
          const jobs = (await boss.fetch<T>(name, { batchSize: free })) ?? [];
          fetched = jobs.length;
          for (const job of jobs) {
            running++;
            held++;
            void settle(job);
          }
        } catch (error) {
          options.onError(error);
        }
      }
      // A full fetch means more may be due: go again at once.
      if ((free > 0 && fetched === free) || woken || stopping) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollingIntervalMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  })();
  return {
    wake,
    stop: async () => {
      stopping = true;
      wake();
      await loop;
      while (held > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    },
  };
}
