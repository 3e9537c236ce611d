// The writes one batch of import rows plans, flushed as a few multi-row statements: inserts
// first, in the order their tables were first used (members before the projects naming them),
// then updates by id. Ids of new rows are made here so audit rows can name them before the insert.
// The importers name a table by its key in IMPORT_TABLES: the SQL stays here.
import { randomUUID } from "node:crypto";
import { getTableName as tableName } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { insertInBatches, type UpdateById, updateByIdInBatches } from "../db/batches.ts";
import type { Db } from "../db/client.ts";
import { clients, invoices, members, milestones, payments, projects } from "../db/schema/index.ts";

const IMPORT_TABLES = { members, clients, projects, milestones, invoices, payments } as const;
export type ImportTable = keyof typeof IMPORT_TABLES;
type InsertOf<K extends ImportTable> = (typeof IMPORT_TABLES)[K]["$inferInsert"];

export type PendingWrites = {
  /** Queues a new row and returns its id. */
  insert: <K extends ImportTable>(table: K, row: Omit<InsertOf<K>, "id">) => string;
  update: <K extends ImportTable>(table: K, id: string, set: Partial<InsertOf<K>>) => void;
  /** A write of its own (a large file, an upsert) run once the rows it refers to are written. */
  afterwards: (run: () => Promise<void>) => void;
  /** Writes what is queued; `step` names each statement kind ("insert into clients") for errors. */
  flush: (db: Db, step: (label: string, run: () => Promise<void>) => Promise<void>) => Promise<void>;
};

export function pendingWrites(): PendingWrites {
  let inserts = new Map<PgTable, Record<string, unknown>[]>();
  let updates = new Map<PgTable, UpdateById<PgTable>[]>();
  let later: (() => Promise<void>)[] = [];
  const queue = <V>(map: Map<PgTable, V[]>, table: PgTable, value: V) => {
    const list = map.get(table);
    if (list) list.push(value);
    else map.set(table, [value]);
  };
  return {
    insert: (table, row) => {
      const id = randomUUID();
      queue(inserts, IMPORT_TABLES[table], { ...row, id });
      return id;
    },
    update: (table, id, set) => queue(updates, IMPORT_TABLES[table], { id, set } as UpdateById<PgTable>),
    afterwards: (run) => {
      later.push(run);
    },
    flush: async (db, step) => {
      const [ins, upd, then] = [inserts, updates, later];
      inserts = new Map();
      updates = new Map();
      later = [];
      for (const [table, rows] of ins) {
        await step(`insert into ${tableName(table)}`, () => insertInBatches(db, table, rows));
      }
      for (const [table, rows] of upd) {
        await step(`update of ${tableName(table)}`, () => updateByIdInBatches(db, table, rows));
      }
      for (const run of then) await step("a file attached to a row", run);
    },
  };
}
