// The durable Postgres-backed queue (pg-boss), on the same database as everything else.
import PgBoss from "pg-boss";
import type { Database } from "../db/client.ts";
import type { Logger } from "../logger.ts";

export type Queue = {
  send: (name: string, data: object, options?: PgBoss.SendOptions) => Promise<string | null>;
  /** Many jobs in one statement, with the queue's retry policy. */
  sendMany: (name: string, data: object[]) => Promise<void>;
  work: <T>(name: string, handler: (data: T, job: PgBoss.Job<T>) => Promise<void>) => Promise<void>;
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
    work: async <T>(name: string, handler: (data: T, job: PgBoss.Job<T>) => Promise<void>) => {
      await ensureQueue(name);
      await boss.work<T>(
        name,
        { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
        async (jobs) => {
          for (const job of jobs) await handler(job.data, job);
        },
      );
    },
    stop: () => boss.stop({ graceful: true, wait: true }),
  };
}
