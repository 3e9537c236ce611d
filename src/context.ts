// What services, jobs and transports receive: built once in main.ts, passed down, never global.
import type { Config } from "./config.ts";
import type { Database, Db } from "./db/client.ts";
import type { Logger } from "./logger.ts";

export type Clock = () => Date;

/**
 * The minimum a service needs. `enqueue` hands claimed delivery ids to the durable queue; call it
 * after the transaction that claimed them has committed (a sweeper re-enqueues any that are lost).
 */
export type ServiceDeps = {
  db: Db;
  now: Clock;
  logger: Logger;
  enqueue: (deliveryIds: string[]) => Promise<void>;
};

export type AppContext = ServiceDeps & {
  config: Config;
  database: Database;
};
