// One database per test worker (PGlite in memory, or a fresh database on TEST_DATABASE_URL).
// Tests isolate themselves by creating their own workspace: every row belongs to one.
import { type Database, openMemoryPglite, openPostgres } from "../../src/db/client.ts";
import { runMigrations } from "../../src/db/migrate.ts";

let shared: Promise<Database> | undefined;

export const backend = (): "pglite" | "postgres" =>
  process.env.COBRO_TEST_DB === "postgres" ? "postgres" : "pglite";

async function openPostgresForWorker(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("COBRO_TEST_DB=postgres needs TEST_DATABASE_URL");
  const name = `cobro_test_${process.env.VITEST_POOL_ID ?? "0"}`;
  const admin = openPostgres(url, { max: 1 });
  await admin.exec(`drop database if exists ${name} with (force)`);
  await admin.exec(`create database ${name}`);
  await admin.close();
  const workerUrl = new URL(url);
  workerUrl.pathname = `/${name}`;
  return openPostgres(workerUrl.toString(), { max: 8 });
}

export function testDatabase(): Promise<Database> {
  shared ??= (async () => {
    const database = backend() === "postgres" ? await openPostgresForWorker() : await openMemoryPglite();
    await runMigrations(database);
    return database;
  })();
  return shared;
}

/** A second, independent connection pool to the same database (concurrency tests on PostgreSQL). */
export function secondConnection(): Database | undefined {
  const url = process.env.TEST_DATABASE_URL;
  if (backend() !== "postgres" || !url) return undefined;
  const workerUrl = new URL(url);
  workerUrl.pathname = `/cobro_test_${process.env.VITEST_POOL_ID ?? "0"}`;
  return openPostgres(workerUrl.toString(), { max: 4 });
}

let emptyCount = 0;

/**
 * A database of its own for a file whose subject is what happens from empty (first workspace,
 * the first-week journey): the worker's shared one holds other files' workspaces. Close it after.
 */
export async function emptyTestDatabase(): Promise<Database> {
  if (backend() === "pglite") {
    const database = await openMemoryPglite();
    await runMigrations(database);
    return database;
  }
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error("COBRO_TEST_DB=postgres needs TEST_DATABASE_URL");
  const name = `cobro_empty_${process.env.VITEST_POOL_ID ?? "0"}_${++emptyCount}`;
  const admin = openPostgres(url, { max: 1 });
  await admin.exec(`drop database if exists ${name} with (force)`);
  await admin.exec(`create database ${name}`);
  await admin.close();
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  const database = openPostgres(databaseUrl.toString(), { max: 4 });
  await runMigrations(database);
  return database;
}
