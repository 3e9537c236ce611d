// Statements over many rows that stay small whatever the row count: each column travels as one
// array parameter (`unnest($1::text[], …)`), so no statement nears PostgreSQL's 65,535 bind
// parameters, drizzle does not build a query per value, and PGlite parses a short text.

import { getTableColumns, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { present } from "../domain/errors.ts";
import type { Db } from "./client.ts";

/** More rows a statement than this gain little and make one failure cover too many lines. */
export const MAX_ROWS_PER_STATEMENT = 1_000;

export function* chunksOf<T>(items: readonly T[], size = MAX_ROWS_PER_STATEMENT): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Runs `lookup` over slices of the distinct `keys` and joins the rows. */
export async function lookupInChunks<K, R>(
  keys: readonly K[],
  lookup: (slice: K[]) => Promise<R[]>,
): Promise<R[]> {
  const found: R[] = [];
  for (const slice of chunksOf([...new Set(keys)])) {
    for (const row of await lookup(slice)) found.push(row);
  }
  return found;
}

/**
 * Values as one array literal bound as a single parameter (cast it: `${pgArray(ids)}::uuid[]`).
 * A list of thousands of row constructors in one statement exhausts PGlite; an array does not.
 */
export function pgArray(values: readonly (string | null)[]): string {
  return `{${values.map((v) => (v === null ? "NULL" : `"${v.replace(/["\\]/g, "\\$&")}"`)).join(",")}}`;
}

/** The text PostgreSQL reads for a value of the column (as drizzle would send it). */
function driverText(column: PgColumn, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const mapped = column.mapToDriverValue(value);
  if (mapped === null || mapped === undefined) return null;
  return mapped instanceof Date ? mapped.toISOString() : String(mapped);
}

type Shaped<R> = { keys: string[]; columns: PgColumn[]; rows: R[] };

/** Groups rows by the columns they set (undefined = not set), in first-seen order. */
function byShape<R>(
  table: PgTable,
  items: readonly R[],
  valuesOf: (item: R) => Record<string, unknown>,
): Shaped<R>[] {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const groups = new Map<string, Shaped<R>>();
  for (const item of items) {
    const keys = Object.keys(valuesOf(item))
      .filter((key) => valuesOf(item)[key] !== undefined)
      .sort();
    const shape = keys.join(",");
    let group = groups.get(shape);
    if (!group) {
      group = {
        keys,
        columns: keys.map((key) => {
          const column = columns[key];
          if (!column) throw new Error(`no column ${key} in this table`);
          return column;
        }),
        rows: [],
      };
      groups.set(shape, group);
    }
    group.rows.push(item);
  }
  return [...groups.values()];
}

/** `unnest($1::text[], …) as u(c0, …)` with `u.cN::type` for each column. */
function unnestOf<R>(group: Shaped<R>, slice: R[], valuesOf: (item: R) => Record<string, unknown>) {
  const aliases = group.columns.map((_, i) => sql.raw(`c${i}`));
  const arrays = group.columns.map(
    (column, i) =>
      sql`${pgArray(slice.map((item) => driverText(column, valuesOf(item)[present(group.keys[i], "column key")])))}::text[]`,
  );
  const typed = group.columns.map((column, i) => sql`u.${aliases[i]}::${sql.raw(column.getSQLType())}`);
  const from = sql`unnest(${sql.join(arrays, sql`, `)}) as u(${sql.join(aliases, sql`, `)})`;
  return { typed, from };
}

/** Inserts rows of one table, a statement per thousand rows (columns left out take their default). */
export async function insertInBatches<T extends PgTable>(
  db: Db,
  table: T,
  rows: readonly T["$inferInsert"][],
): Promise<void> {
  const valuesOf = (row: T["$inferInsert"]) => row as Record<string, unknown>;
  for (const group of byShape(table, rows, valuesOf)) {
    const names = group.columns.map((column) => sql.identifier(column.name));
    for (const slice of chunksOf(group.rows)) {
      const { typed, from } = unnestOf(group, slice, valuesOf);
      await db.execute(
        sql`insert into ${table} (${sql.join(names, sql`, `)}) select ${sql.join(typed, sql`, `)} from ${from}`,
      );
    }
  }
}

export type UpdateById<T extends PgTable> = { id: string; set: Partial<T["$inferInsert"]> };

/** Updates rows by id, each with its own values; rows that set the same columns share statements. */
export async function updateByIdInBatches<T extends PgTable>(
  db: Db,
  table: T,
  updates: readonly UpdateById<T>[],
): Promise<void> {
  const idColumn = (getTableColumns(table) as Record<string, PgColumn>).id;
  if (!idColumn) throw new Error("updateByIdInBatches needs a table with an id column");
  const valuesOf = (update: UpdateById<T>) => ({ id: update.id, ...(update.set as Record<string, unknown>) });
  for (const group of byShape(table, updates, valuesOf)) {
    const assignments = group.columns.flatMap((column, i) =>
      group.keys[i] === "id"
        ? []
        : [sql`${sql.identifier(column.name)} = u.${sql.raw(`c${i}`)}::${sql.raw(column.getSQLType())}`],
    );
    if (assignments.length === 0) continue;
    const idAlias = sql.raw(`c${group.keys.indexOf("id")}`);
    for (const slice of chunksOf(group.rows)) {
      const { from } = unnestOf(group, slice, valuesOf);
      await db.execute(
        sql`update ${table} set ${sql.join(assignments, sql`, `)} from ${from} where ${table}.${sql.identifier(idColumn.name)} = u.${idAlias}::uuid`,
      );
    }
  }
}
