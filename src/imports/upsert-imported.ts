// Plans the insert of a row the workspace does not have yet, or the update of the fields the file
// changed, with an audit row either way; the caller says which table and which values.
import { isDeepStrictEqual } from "node:util";
import type { ImportContext, Outcome } from "./context.ts";

type Found = { id: string } & Record<string, unknown>;

function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): string[] {
  // Arrays and JSON columns (an address) compare by content.
  return Object.keys(after).filter((key) => !isDeepStrictEqual(before[key], after[key]));
}

function pick(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

export function upsertImported<Row extends Found>(
  ctx: ImportContext,
  spec: {
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
  },
): Outcome {
  const { entity, found, values } = spec;
  if (!found) {
    const id = spec.insert();
    ctx.audit.push(ctx.auditRow(`${entity}.imported`, entity, id, null, spec.createdAudit ?? values));
    return "created";
  }
  const changed = changedFields(found, values);
  if (changed.length === 0) return "unchanged";
  if (spec.refuse?.(found, changed)) return "rejected";
  spec.update(found, changed);
  ctx.audit.push(
    ctx.auditRow(`${entity}.import_updated`, entity, found.id, pick(found, changed), pick(values, changed)),
  );
  return "updated";
}
