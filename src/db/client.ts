// Opens the database: postgres.js for DATABASE_URL, else an embedded PGlite under COBRO_DATA_DIR.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { DomainError } from "../domain/errors.ts";
import * as schema from "./schema/index.ts";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Row = Record<string, unknown>;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /** The server URL (postgres only): tools that bring their own driver, like pg-boss, connect with it. */
  connectionString?: string;
  /** One parameterised statement, rows back (used by the queue adapter and bulk loaders). */
  query: <T extends Row = Row>(text: string, params?: unknown[]) => Promise<T[]>;
  /** Several statements without parameters (migrations of the queue, schema resets). */
  exec: (text: string) => Promise<void>;
  /** Holds a session-level advisory lock around fn (no-op on PGlite: one process by construction). */
  withAdvisoryLock: <T>(key: number, fn: () => Promise<T>) => Promise<T>;
  close: () => Promise<void>;
};

/** Rows of a drizzle `execute`, whatever the driver's result shape. */
export async function queryRows<T extends Row = Row>(db: Db, statement: SQL): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown as { rows?: T[] } | T[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}

export function openPostgres(url: string, options: { max?: number } = {}): Database {
  const sql = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  const db = drizzlePostgres(sql, { schema }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    connectionString: url,
    query: async <T extends Row>(text: string, params: unknown[] = []) =>
      Array.from(await sql.unsafe(text, params as never[])) as unknown as T[],
    exec: async (text) => {
      await sql.unsafe(text);
    },
    withAdvisoryLock: async (key, fn) => {
      const connection = await sql.reserve();
      try {
        await connection`select pg_advisory_lock(${key})`;
        return await fn();
      } finally {
        await connection`select pg_advisory_unlock(${key})`;
        connection.release();
      }
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

function wrapPglite(client: PGlite, release: () => void): Database {
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    query: async <T extends Row>(text: string, params: unknown[] = []) =>
      (await client.query<T>(text, params)).rows,
    exec: async (text) => {
      await client.exec(text);
    },
    withAdvisoryLock: (_key, fn) => fn(),
    close: async () => {
      await client.close();
      release();
    },
  };
}

/** In-memory PGlite, for tests and throwaway runs. */
export async function openMemoryPglite(): Promise<Database> {
  const client = await PGlite.create();
  return wrapPglite(client, () => {});
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// PGlite is single-process: a second opener would corrupt the data directory, so we refuse.
function lockDataDirectory(directory: string): () => void {
  const lockFile = join(directory, "cobro.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(lockFile, "utf8").trim());
      if (Number.isInteger(holder) && processIsAlive(holder)) {
        throw new DomainError(
          "db.embedded_in_use",
          `embedded database ${directory} is locked by process ${holder}`,
          {
            userMessage:
              `The embedded database in ${directory} is already open in another Cobro process (pid ${holder}). ` +
              "Only one process can use an embedded database: stop the other one, or set DATABASE_URL to a " +
              "PostgreSQL server to run several processes.",
          },
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new DomainError("db.lock", `could not lock ${directory}`);
}

/** A new data directory, made by create-embedded-directory.js in a process of its own. */
async function createEmbeddedDirectory(pgdata: string): Promise<void> {
  const script = fileURLToPath(new URL("./create-embedded-directory.js", import.meta.url));
  const child = spawn(process.execPath, [script, pgdata], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) {
    throw new Error(`creating the embedded database in ${pgdata} failed: ${stderr.trim().slice(-500)}`);
  }
}

/**
 * PostgreSQL's default 128 MB of shared buffers is touched when PGlite starts: an embedded database
 * (one process, small data, the OS caching its files) serves as well with 32 MB and 100 MB less memory.
 */
const EMBEDDED_START_PARAMS = [...PGlite.defaultStartParams, "-c", "shared_buffers=32MB"];

export async function openEmbedded(dataDir: string): Promise<Database> {
  const directory = resolve(dataDir);
  mkdirSync(directory, { recursive: true });
  const release = lockDataDirectory(directory);
  try {
    const pgdata = join(directory, "pgdata");
    if (!existsSync(join(pgdata, "PG_VERSION"))) await createEmbeddedDirectory(pgdata);
    const client = await PGlite.create(pgdata, { startParams: EMBEDDED_START_PARAMS });
    return wrapPglite(client, release);
  } catch (error) {
    release();
    throw error;
  }
}

export function openDatabase(config: {
  databaseUrl: string | undefined;
  dataDir: string;
}): Promise<Database> {
  return config.databaseUrl
    ? Promise.resolve(openPostgres(config.databaseUrl))
    : openEmbedded(config.dataDir);
}
