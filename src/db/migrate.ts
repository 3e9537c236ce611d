// Applies the committed drizzle-kit migrations; the same SQL on PGlite and PostgreSQL.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { type Database, queryRows } from "./client.ts";

const migrationsFolder = fileURLToPath(new URL("../../migrations", import.meta.url));
const MIGRATION_LOCK = 7_420_001;

type Journal = { entries: { tag: string }[] };

export function expectedMigrations(): string[] {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as Journal;
  return journal.entries.map((entry) => entry.tag);
}

export async function runMigrations(database: Database): Promise<{ applied: number; total: number }> {
  const before = await appliedMigrationCount(database);
  await database.withAdvisoryLock(MIGRATION_LOCK, async () => {
    if (database.kind === "pglite") {
      await migratePglite(database.db as never, { migrationsFolder });
    } else {
      await migratePostgres(database.db as never, { migrationsFolder });
    }
  });
  const total = expectedMigrations().length;
  return { applied: total - before, total };
}

export async function appliedMigrationCount(database: Database): Promise<number> {
  const [exists] = await queryRows<{ found: boolean }>(
    database.db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as found`,
  );
  if (!exists?.found) return 0;
  const [row] = await queryRows<{ count: number }>(
    database.db,
    sql`select count(*)::int as count from drizzle.__drizzle_migrations`,
  );
  return row?.count ?? 0;
}

export async function isMigrated(database: Database): Promise<boolean> {
  return (await appliedMigrationCount(database)) >= expectedMigrations().length;
}
