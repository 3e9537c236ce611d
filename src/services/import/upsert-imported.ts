// Insert a row the workspace does not have yet, or update the fields the file changed, with an
// audit row either way; the caller keeps the table-specific SQL in its callbacks.
import { isDeepStrictEqual } from "node:util";
import { auditRow, type Context, type Outcome } from "./context.ts";

type Found = { id: string } & Record<string, unknown>;

function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): string[] {
  // Arrays and JSON columns (an address) compare by content.
  return Object.keys(after).filter((key) => !isDeepStrictEqual(before[key], after[key]));
}

function pick(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

export async function upsertImported<Row extends Found>(
  ctx: Context,
  spec: {
    /** Audit entity; actions are `<entity>.imported` and `<entity>.import_updated`. */
    entity: string;
    found: Row | undefined;
    /** Compared with the found row, and audited. */
    values: Partial<Row>;
    /** Returns the new row's id. */
    insert: () => Promise<string>;
    /** Audited on insert instead of `values`. */
    createdAudit?: unknown;
    /** Pushes its errors and returns true when the changes may not be applied. */
    refuse?: (found: Row, changed: string[]) => boolean;
    update: (found: Row, changed: string[]) => Promise<void>;
  },
): Promise<Outcome> {
  const { entity, found, values } = spec;
  if (!found) {
    const id = await spec.insert();
    ctx.audit.push(auditRow(ctx, `${entity}.imported`, entity, id, null, spec.createdAudit ?? values));
    return "created";
  }
  const changed = changedFields(found, values);
  if (changed.length === 0) return "unchanged";
  if (spec.refuse?.(found, changed)) return "rejected";
  await spec.update(found, changed);
  ctx.audit.push(
    auditRow(ctx, `${entity}.import_updated`, entity, found.id, pick(found, changed), pick(values, changed)),
  );
  return "updated";
}
