// The writes of the collections buttons on an invoice's collection row. Each changes the row only
// when it would change something, and answers the new row, or null when the click was already done.
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import type { invoiceCollections } from "../db/schema/index.ts";
import { type CollectionRow, updateCollection } from "./repo.ts";

/** The invoice acted on (a collection target's view). */
type Invoice = { workspaceId: string; invoiceId: string };

const change = (
  db: Db,
  invoice: Invoice,
  values: Partial<typeof invoiceCollections.$inferInsert>,
  when: SQL,
): Promise<CollectionRow | null> =>
  updateCollection(db, invoice.workspaceId, invoice.invoiceId, values, when);

export const savePromise = (db: Db, invoice: Invoice, promisedOn: string) =>
  change(db, invoice, { promisedOn }, sql`promised_on is distinct from ${promisedOn}::date`);

export const savePause = (db: Db, invoice: Invoice, { until, reason }: { until: string; reason: string }) =>
  change(
    db,
    invoice,
    { pausedUntil: until, pauseReason: reason },
    sql`(paused_until is distinct from ${until}::date or pause_reason is distinct from ${reason})`,
  );

/** The first dispute counts: a second one (a double click) changes nothing. */
export const markDisputed = (db: Db, invoice: Invoice, { at, reason }: { at: Date; reason: string }) =>
  change(db, invoice, { disputedAt: at, disputeReason: reason }, sql`disputed_at is null`);

export const saveCollector = (db: Db, invoice: Invoice, memberId: string) =>
  change(
    db,
    invoice,
    { collectorMemberId: memberId },
    sql`collector_member_id is distinct from ${memberId}::uuid`,
  );

/** The approval is given once: the first click claims it, a second one finds it taken. */
export const markFormalApproved = (
  db: Db,
  invoice: Invoice,
  { at, memberId }: { at: Date; memberId: string | null },
) =>
  change(
    db,
    invoice,
    { formalApprovedAt: at, formalApprovedByMemberId: memberId },
    sql`formal_approved_at is null`,
  );

/** Reminders wait until `until`, unless a later hold or promise already makes them wait longer. */
export const holdPromiseUntil = (db: Db, invoice: Invoice, until: string) =>
  change(db, invoice, { promisedOn: until }, sql`(promised_on is null or promised_on < ${until}::date)`);

/** Ends a hold that runs no later than `latest`; a longer promise agreed with the client stays. */
export const endHoldBy = (db: Db, invoice: Invoice, latest: string) =>
  change(db, invoice, { promisedOn: null }, sql`promised_on <= ${latest}::date`);
