// What every kind's importer shares inside the one import transaction.
import type { Db } from "../../db/client.ts";
import type { AuditEntry } from "../../db/repos/audit.ts";
import {
  type DecimalText,
  decimalToMinor,
  type ImportKind,
  type ImportRowByKind,
  type RowError,
} from "../../domain/import-rows.ts";

/** "rejected" rows carry an error in ctx.errors and are not counted. */
export type Outcome = "created" | "updated" | "unchanged" | "rejected";

export type Context = {
  tx: Db;
  workspaceId: string;
  now: Date;
  errors: RowError[];
  audit: AuditEntry[];
  membersCreated: number;
};

export type Handler<K extends ImportKind> = (ctx: Context, rows: ImportRowByKind[K][]) => Promise<Outcome[]>;

export function auditRow(
  ctx: Context,
  action: string,
  entity: string,
  entityId: string,
  before: unknown,
  after: unknown,
): AuditEntry {
  return { workspaceId: ctx.workspaceId, actor: "import", action, entity, entityId, before, after };
}

export function reject(ctx: Context, line: number, column: string, message: string): "rejected" {
  ctx.errors.push({ line, column, message });
  return "rejected";
}

export function minorOrError(
  ctx: Context,
  line: number,
  column: string,
  text: DecimalText,
  currency: string,
): number | undefined {
  const result = decimalToMinor(text, currency);
  if (typeof result === "string") {
    reject(ctx, line, column, result);
    return undefined;
  }
  return result;
}
