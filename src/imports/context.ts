// What every kind's importer shares inside the one import transaction: the rows' errors and audit,
// the batch's pending writes, and the lookups of what the rows name (clients, projects, members).

import { isDeepStrictEqual } from "node:util";
import type { AuditEntry } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { present } from "../domain/errors.ts";
import {
  type DecimalText,
  decimalToMinor,
  type ImportKind,
  type ImportRowByKind,
  type RowError,
} from "../domain/import-rows.ts";
import { projectCodeKey } from "../domain/names.ts";
import type { Role } from "../domain/permissions.ts";
import { type PendingWrites, pendingWrites } from "./pending-writes-repo.ts";
import {
  type ClientRow,
  findClientsByExternalId,
  findMembersByEmail,
  findProjectsByCode,
  type ProjectRow,
} from "./repo.ts";

/** "rejected" rows carry an error in ctx.errors and are not counted. */
export type Outcome = "created" | "updated" | "unchanged" | "rejected";

/**
 * Plans one batch of rows (at most a few thousand; a file comes in several batches, each seeing
 * the writes of the batches before it) and reads what it needs with a few statements per batch.
 */
export type Handler<K extends ImportKind> = (
  ctx: ImportContext,
  rows: ImportRowByKind[K][],
) => Promise<Outcome[]>;

type Found = { id: string } & Record<string, unknown>;

function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): string[] {
  // Arrays and JSON columns (an address) compare by content.
  return Object.keys(after).filter((key) => !isDeepStrictEqual(before[key], after[key]));
}

function pick(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

export class ImportContext {
  readonly tx: Db;
  readonly workspaceId: string;
  /** Who imports, as the audit log names them. */
  readonly auditActor: string;
  readonly now: Date;
  readonly errors: RowError[];
  readonly audit: AuditEntry[] = [];
  /** Inserts and updates of the current batch of rows, written together once it is planned. */
  readonly writes: PendingWrites = pendingWrites();
  membersCreated = 0;
  /** Reads a file a row names (the invoices' pdf column), relative to the CSV; absent outside the CLI. */
  readonly readAttachment: ((path: string) => Promise<Uint8Array>) | undefined;

  constructor(input: {
    tx: Db;
    workspaceId: string;
    auditActor: string;
    now: Date;
    errors: RowError[];
    readAttachment?: ((path: string) => Promise<Uint8Array>) | undefined;
  }) {
    this.tx = input.tx;
    this.workspaceId = input.workspaceId;
    this.auditActor = input.auditActor;
    this.now = input.now;
    this.errors = input.errors;
    this.readAttachment = input.readAttachment;
  }

  auditRow(action: string, entity: string, entityId: string, before: unknown, after: unknown): AuditEntry {
    return { workspaceId: this.workspaceId, actor: this.auditActor, action, entity, entityId, before, after };
  }

  reject(line: number, column: string, message: string): "rejected" {
    this.errors.push({ line, column, message });
    return "rejected";
  }

  minorOrError(line: number, column: string, text: DecimalText, currency: string): number | undefined {
    const result = decimalToMinor(text, currency);
    if (typeof result === "string") {
      this.reject(line, column, result);
      return undefined;
    }
    return result;
  }

  async clientsByExternalId(ids: string[]): Promise<Map<string | null, ClientRow>> {
    const rows = ids.length === 0 ? [] : await findClientsByExternalId(this.tx, this.workspaceId, ids);
    return new Map(rows.map((c) => [c.externalId, c]));
  }

  async projectsByCode(codes: string[]): Promise<Map<string, ProjectRow>> {
    const rows =
      codes.length === 0
        ? []
        : await findProjectsByCode(this.tx, this.workspaceId, codes.map(projectCodeKey));
    return new Map(rows.map((p) => [projectCodeKey(p.code), p]));
  }

  rejectUnknownClient(line: number, externalId: string): "rejected" {
    return this.reject(
      line,
      "client_external_id",
      `no client "${externalId}" in this workspace (import clients first)`,
    );
  }

  rejectUnknownProject(line: number, code: string): "rejected" {
    return this.reject(
      line,
      "project_code",
      `no project "${code}" in this workspace (import projects first)`,
    );
  }

  /**
   * The members a batch of rows names by e-mail (PMs, approvers, collectors): one lookup, the missing
   * ones created with the role, the known ones given it. Map by e-mail.
   */
  async importedMembers(wanted: readonly { email: string; role: Role }[]): Promise<Map<string, string>> {
    const found = await findMembersByEmail(
      this.tx,
      this.workspaceId,
      wanted.map((w) => w.email),
    );
    const byEmail = new Map(
      found.map((m) => [
        present(m.email, "m.email"),
        { id: m.id, roles: m.roles, known: true, added: false },
      ]),
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
        if (member.added) this.writes.update("members", member.id, { roles: member.roles });
        ids.set(email, member.id);
      } else {
        const name = email.split("@")[0] ?? email;
        ids.set(
          email,
          this.writes.insert("members", { workspaceId: this.workspaceId, email, name, roles: member.roles }),
        );
        this.membersCreated += 1;
      }
    }
    return ids;
  }

  /**
   * Plans the insert of a row the workspace does not have yet, or the update of the fields the file
   * changed, with an audit row either way; the caller says which table and which values.
   */
  upsert<Row extends Found>(spec: {
    /** Audit entity; actions are `<entity>.imported` and `<entity>.import_updated`. */
    entity: string;
    found: Row | undefined;
    /** Compared with the found row, and audited. */
    values: Partial<Row>;
    /** Queues the new row (ctx.writes.insert) and returns its id. */
    insert: () => string;
    /** Audited on insert instead of `values`. */
    createdAudit?: unknown;
    /** Pushes its errors and returns true when the changes may not be applied. */
    refuse?: (found: Row, changed: string[]) => boolean;
    /** Queues the update (ctx.writes.update). */
    update: (found: Row, changed: string[]) => void;
  }): Outcome {
    const { entity, found, values } = spec;
    if (!found) {
      const id = spec.insert();
      this.audit.push(this.auditRow(`${entity}.imported`, entity, id, null, spec.createdAudit ?? values));
      return "created";
    }
    const changed = changedFields(found, values);
    if (changed.length === 0) return "unchanged";
    if (spec.refuse?.(found, changed)) return "rejected";
    spec.update(found, changed);
    this.audit.push(
      this.auditRow(
        `${entity}.import_updated`,
        entity,
        found.id,
        pick(found, changed),
        pick(values, changed),
      ),
    );
    return "updated";
  }
}
