// The durable Postgres-backed queue (pg-boss), on the same database as everything else.
import PgBoss from "pg-boss";
import type { Database } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import { type JobPlace, type JobPool, startJobPool } from "./job-pool.ts";

export type Queue = {
  send: (name: string, data: object, options?: PgBoss.SendOptions) => Promise<string | null>;
  /** Many jobs in one statement, with the queue's retry policy. */
  sendMany: (name: string, data: object[]) => Promise<void>;
  /** Works jobs of `name`, up to `concurrency` at once (job-pool.ts); a failing job is retried alone. */
  work: <T>(
    name: string,
    handler: (data: T, job: PgBoss.Job<T>, place: JobPlace) => Promise<void>,
    options?: { concurrency?: number },
  ) => Promise<void>;
  /** Makes this process's workers of `name` fetch now instead of at their next poll. */
  wake: (name: string) => void;
  stop: () => Promise<void>;
};

// On PGlite pg-boss talks to our single connection through this adapter; multi-statement SQL (its
// own schema install) has no parameters and must go through exec. On PostgreSQL it uses its own
// pool: its transactions (BEGIN … COMMIT in one string) need a dedicated connection.
function adapter(database: Database): PgBoss.Db {
  return {
    async executeSql(text, values) {
      if (!values || values.length === 0) {
        if (text.includes(";")) {
          await database.exec(text);
          return { rows: [] };
        }
      }
      return { rows: await database.query(text, values ?? []) };
    },
  };
}

export const QUEUE_DEFAULTS = { retryLimit: 8, retryDelay: 15, retryBackoff: true } as const;

export async function startQueue(
  database: Database,
  logger: Logger,
  options: { pollingIntervalSeconds?: number; supervise?: boolean } = {},
): Promise<Queue> {
  const boss = new PgBoss({
    ...(database.connectionString
      ? { connectionString: database.connectionString, max: 4 }
      : { db: adapter(database) }),
    schema: "pgboss",
    supervise: options.supervise ?? true,
    schedule: false,
    ...QUEUE_DEFAULTS,
  });
  boss.on("error", (error) => logger.error({ err: error }, "queue error"));
  // Installing pg-boss's schema is not safe to run from two instances at once.
  await database.withAdvisoryLock(7_420_002, () => boss.start().then(() => undefined));
  // One creation per queue name, even when a worker and a sender ask at once (two concurrent
  // createQueue calls deadlock on PostgreSQL creating the queue's partition).
  const created = new Map<string, Promise<void>>();
  const pools = new Map<string, JobPool[]>();
  const ensureQueue = (name: string): Promise<void> => {
    let creating = created.get(name);
    if (!creating) {
      creating = boss.createQueue(name, { name, ...QUEUE_DEFAULTS });
      creating.catch(() => created.delete(name));
      created.set(name, creating);
    }
    return creating;
  };
  return {
    send: async (name, data, sendOptions = {}) => {
      await ensureQueue(name);
      return boss.send(name, data, { ...QUEUE_DEFAULTS, ...sendOptions });
    },
    sendMany: async (name, data) => {
      if (data.length === 0) return;
      await ensureQueue(name);
      await boss.insert(data.map((item) => ({ name, data: item })));
    },
    work: async <T>(
      name: string,
      handler: (data: T, job: PgBoss.Job<T>, place: JobPlace) => Promise<void>,
      workOptions: { concurrency?: number } = {},
    ) => {
      await ensureQueue(name);
      const pool = startJobPool(boss, name, handler, {
        concurrency: workOptions.concurrency ?? 1,
        pollingIntervalMs: (options.pollingIntervalSeconds ?? 2) * 1000,
        onError: (error) => logger.error({ err: error, queue: name }, "queue worker error"),
      });
      pools.set(name, [...(pools.get(name) ?? []), pool]);
    },
    wake: (name) => {
      for (const pool of pools.get(name) ?? []) pool.wake();
    },
    stop: async () => {
      await Promise.all([...pools.values()].flat().map((pool) => pool.stop()));
      await boss.stop({ graceful: true, wait: true });
    },
  };
}
