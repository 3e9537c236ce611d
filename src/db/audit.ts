import { insertInBatches } from "./batches.ts";
import type { Db } from "./client.ts";
import { auditLog } from "./schema/index.ts";

export type AuditEntry = {
  workspaceId: string;
  /** member id, "system", "import", "api:<key prefix>", "slack:<user id>" */
  actor: string;
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

/** Append-only log of every change to money or status; call it inside the transaction that changes it. */
export async function recordAudit(db: Db, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const rows = Array.isArray(entries) ? entries : [entries];
  await insertInBatches(
    db,
    auditLog,
    rows.map((entry) => ({ ...entry, before: entry.before ?? null, after: entry.after ?? null })),
  );
}
