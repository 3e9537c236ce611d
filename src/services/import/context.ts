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
import type { Role } from "../../domain/permissions.ts";
import { type MemberCache, memberByEmail } from "../member-by-email.ts";

/** "rejected" rows carry an error in ctx.errors and are not counted. */
export type Outcome = "created" | "updated" | "unchanged" | "rejected";

export type Context = {
  tx: Db;
  workspaceId: string;
  now: Date;
  errors: RowError[];
  audit: AuditEntry[];
  membersCreated: number;
  /** Reads a file a row names (the invoices' pdf column), relative to the CSV; absent outside the CLI. */
  readAttachment?: ((path: string) => Promise<Uint8Array>) | undefined;
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

/** The member an import row names by e-mail, counted when the import creates them. */
export async function importedMember(
  ctx: Context,
  email: string,
  role: Role,
  cache: MemberCache,
): Promise<string> {
  const member = await memberByEmail(ctx.tx, ctx.workspaceId, email, role, cache);
  if (member.created) ctx.membersCreated += 1;
  return member.id;
}
