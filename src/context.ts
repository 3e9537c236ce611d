// What services, jobs and transports receive: built once in main.ts, passed down, never global.
import type { Config } from "./config.ts";
import type { Database, Db } from "./db/client.ts";
import type { Logger } from "./logger.ts";

export type Clock = () => Date;

/** The minimum a service needs: a database handle (or transaction), the clock and a logger. */
export type ServiceDeps = { db: Db; now: Clock; logger: Logger };

export type AppContext = ServiceDeps & {
  config: Config;
  database: Database;
};
