import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../src/db/client.ts";
import {
  appliedMigrationCount,
  expectedMigrations,
  isMigrated,
  runMigrations,
} from "../../src/db/migrate.ts";
import { backend, testDatabase } from "../helpers/db.ts";

describe(`migrations on ${backend()}`, () => {
  it("bring an empty database to the current schema, and a second run changes nothing", async () => {
    const database = await testDatabase();
    expect(await isMigrated(database)).toBe(true);
    expect(await appliedMigrationCount(database)).toBe(expectedMigrations().length);
    const again = await runMigrations(database);
    expect(again.applied).toBe(0);
    const tables = await queryRows<{ name: string }>(
      database.db,
      sql`select table_name as name from information_schema.tables where table_schema = 'public'`,
    );
    const names = tables.map((t) => t.name);
    for (const table of [
      "workspaces",
      "members",
      "clients",
      "projects",
      "milestones",
      "invoices",
      "invoice_lines",
      "payments",
      "exchange_rates",
      "audit_log",
      "number_series",
    ]) {
      expect(names).toContain(table);
    }
  });
});
