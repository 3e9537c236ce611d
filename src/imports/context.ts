// What every kind's importer shares inside the one import transaction.

import { and, eq, inArray } from "drizzle-orm";
import type { AuditEntry } from "../db/audit.ts";
import { lookupInChunks } from "../db/batches.ts";
import type { Db } from "../db/client.ts";
import { members } from "../db/schema/index.ts";
import { present } from "../domain/errors.ts";
import {
  type DecimalText,
  decimalToMinor,
  type ImportKind,
  type ImportRowByKind,
  type RowError,
} from "../domain/import-rows.ts";
import type { Role } from "../domain/permissions.ts";
import type { PendingWrites } from "./pending-writes.ts";

/** "rejected" rows carry an error in ctx.errors and are not counted. */
export type Outcome = "created" | "updated" | "unchanged" | "rejected";

export type Context = {
  tx: Db;
  workspaceId: string;
  /** Who imports, as the audit log names them. */
  auditActor: string;
  now: Date;
  errors: RowError[];
  audit: AuditEntry[];
  /** Inserts and updates of the current batch of rows, written together once it is planned. */
  writes: PendingWrites;
  membersCreated: number;
  /** Reads a file a row names (the invoices' pdf column), relative to the CSV; absent outside the CLI. */
  readAttachment?: ((path: string) => Promise<Uint8Array>) | undefined;
};

/**
 * Plans one batch of rows (at most a few thousand; a file comes in several batches, each seeing
 * the writes of the batches before it) and reads what it needs with a few statements per batch.
 */
export type Handler<K extends ImportKind> = (ctx: Context, rows: ImportRowByKind[K][]) => Promise<Outcome[]>;

export function auditRow(
  ctx: Context,
  action: string,
  entity: string,
  entityId: string,
  before: unknown,
  after: unknown,
): AuditEntry {
  return { workspaceId: ctx.workspaceId, actor: ctx.auditActor, action, entity, entityId, before, after };
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

/**
 * The members a batch of rows names by e-mail (PMs, approvers, collectors): one lookup, the missing
 * ones created with the role, the known ones given it. Map by e-mail.
 */
export async function importedMembers(
  ctx: Context,
  wanted: readonly { email: string; role: Role }[],
): Promise<Map<string, string>> {
  const found = await lookupInChunks(
    wanted.map((w) => w.email),
    (slice) =>
      ctx.tx
        .select({ id: members.id, email: members.email, roles: members.roles })
        .from(members)
        .where(and(eq(members.workspaceId, ctx.workspaceId), inArray(members.email, slice))),
  );
  const byEmail = new Map(
    found.map((m) => [present(m.email, "m.email"), { id: m.id, roles: m.roles, known: true, added: false }]),
  );
  for (const { email, role } of wanted) {
    const member = byEmail.get(email);
    if (member) {
      if (!member.roles.includes(role)) {
        member.roles = [...member.roles, role];
        member.added = true;
      }
      continue;
    }
    byEmail.set(email, { id: "", roles: [role], known: false, added: false });
  }
  const ids = new Map<string, string>();
  for (const [email, member] of byEmail) {
    if (member.known) {
      if (member.added) ctx.writes.update(members, member.id, { roles: member.roles });
      ids.set(email, member.id);
    } else {
      const name = email.split("@")[0] ?? email;
      ids.set(
        email,
        ctx.writes.insert(members, { workspaceId: ctx.workspaceId, email, name, roles: member.roles }),
      );
      ctx.membersCreated += 1;
    }
  }
  return ids;
}
