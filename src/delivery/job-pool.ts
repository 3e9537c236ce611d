// A bounded pool of jobs of one queue: fetches as many due jobs as it has free places (one query
// for the lot), runs them at once, completes or fails each on its own, and fetches again as soon
// as a place frees up or it is woken, else at the polling interval. Unlike pg-boss's own worker,
// which waits for a whole batch to finish, one slow job never holds back the others.
import type PgBoss from "pg-boss";

export type JobPool = { wake: () => void; stop: () => Promise<void> };

export function startJobPool<T>(
  boss: PgBoss,
  name: string,
  handler: (data: T, job: PgBoss.Job<T>) => Promise<void>,
  options: { concurrency: number; pollingIntervalMs: number; onError: (error: unknown) => void },
): JobPool {
  let running = 0;
  let stopping = false;
  let woken = false;
  let wakeUp: (() => void) | undefined;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const settle = (job: PgBoss.Job<T>) =>
    handler(job.data, job)
      .then(
        () => boss.complete(name, job.id),
        (error: unknown) =>
          boss.fail(name, job.id, { message: error instanceof Error ? error.message : String(error) }),
      )
      .catch(options.onError)
      .finally(() => {
        running--;
        wake();
      });
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
      while (running > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    },
  };
}
