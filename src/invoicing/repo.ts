// Reads and writes of invoices, lines, series counters, payments and exchange rates; no rules here.
import { and, asc, desc, eq, getTableColumns, gt, inArray, lte, notInArray, or, sql } from "drizzle-orm";
import { z } from "zod";
import { type AuditEntry, recordAudit } from "../db/audit.ts";
import { type Db, queryRows } from "../db/client.ts";
import {
  clients,
  deliveries,
  emailEvents,
  exchangeRates,
  importedInvoicePdfs,
  invoiceLines,
  invoices,
  lateInterestRates,
  members,
  milestones,
  numberSeries,
  payments,
  projects,
  refunds,
  verifactuRecords,
  workspaces,
} from "../db/schema/index.ts";
import {
  claimDeliveries,
  claimDeliveriesReturningKeys,
  claimDelivery,
  type DeliveryClaim,
} from "../delivery/index.ts";
import { DomainError, isDomainError } from "../domain/errors.ts";
import { invoiceNotFound, transitionInvoice } from "../domain/invoice-state.ts";
import { bestMatches, candidateProjects } from "../domain/match-project.ts";
import { type Actor, isSlackActor, memberIdOf, rolesOf } from "../domain/permissions.ts";

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;
export type InvoiceLineInsert = typeof invoiceLines.$inferInsert;
export type ClientRow = typeof clients.$inferSelect;
export type WorkspaceRow = typeof workspaces.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type ProjectRow = typeof projects.$inferSelect;
export { type BuyerSnapshot, INVOICE_STATUSES } from "../db/schema/index.ts";

export async function findInvoice(db: Db, workspaceId: string, invoiceId: string, lock = false) {
  const query = db
    .select()
    .from(invoices)
    .where(and(eq(invoices.workspaceId, workspaceId), eq(invoices.id, invoiceId)));
  const [row] = lock ? await query.for("update") : await query;
  return row;
}

export async function findInvoiceByNumber(db: Db, workspaceId: string, number: string) {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.workspaceId, workspaceId), eq(invoices.number, number)));
  return row;
}

export async function findInvoiceByReceiptToken(db: Db, token: string) {
  const [row] = await db.select().from(invoices).where(eq(invoices.receiptToken, token));
  return row;
}

export function listInvoiceLines(db: Db, workspaceId: string, invoiceId: string) {
  return db
    .select()
    .from(invoiceLines)
    .where(and(eq(invoiceLines.workspaceId, workspaceId), eq(invoiceLines.invoiceId, invoiceId)))
    .orderBy(asc(invoiceLines.position));
}

export async function replaceInvoiceLines(
  db: Db,
  workspaceId: string,
  invoiceId: string,
  lines: Omit<InvoiceLineInsert, "workspaceId" | "invoiceId" | "position">[],
) {
  await db
    .delete(invoiceLines)
    .where(and(eq(invoiceLines.workspaceId, workspaceId), eq(invoiceLines.invoiceId, invoiceId)));
  if (lines.length === 0) return [];
  return db
    .insert(invoiceLines)
    .values(lines.map((line, index) => ({ ...line, workspaceId, invoiceId, position: index + 1 })))
    .returning();
}

export async function findWorkspace(db: Db, workspaceId: string) {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  return row;
}

export async function findClient(db: Db, workspaceId: string, clientId: string) {
  const [row] = await db
    .select()
    .from(clients)
    .where(and(eq(clients.workspaceId, workspaceId), eq(clients.id, clientId)));
  return row;
}

export async function findProject(db: Db, workspaceId: string, projectId: string) {
  const [row] = await db
    .select()
    .from(projects)
    .where(and(eq(projects.workspaceId, workspaceId), eq(projects.id, projectId)));
  return row;
}

export async function findMilestone(db: Db, workspaceId: string, milestoneId: string) {
  const [row] = await db
    .select()
    .from(milestones)
    .where(and(eq(milestones.workspaceId, workspaceId), eq(milestones.id, milestoneId)));
  return row;
}

/** The live (not voided) invoice already made from a milestone, if any. */
export async function findInvoiceForMilestone(db: Db, workspaceId: string, milestoneId: string) {
  const [row] = await db
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.workspaceId, workspaceId),
        eq(invoices.milestoneId, milestoneId),
        eq(invoices.kind, "invoice"),
        sql`${invoices.status} <> 'void'`,
      ),
    )
    .limit(1);
  return row;
}

/** Latest rate on or before the date: 1 unit of `currency` = rate units of `baseCurrency`. */
export async function findExchangeRate(
  db: Db,
  workspaceId: string,
  currency: string,
  baseCurrency: string,
  onOrBefore: string,
) {
  const [row] = await db
    .select()
    .from(exchangeRates)
    .where(
      and(
        eq(exchangeRates.workspaceId, workspaceId),
        eq(exchangeRates.currency, currency),
        eq(exchangeRates.baseCurrency, baseCurrency),
        lte(exchangeRates.onDate, onOrBefore),
      ),
    )
    .orderBy(desc(exchangeRates.onDate))
    .limit(1);
  return row;
}

export type AllocatedNumbers = {
  seriesId: string;
  /** The first of `count` consecutive counters now taken. */
  firstCounter: number;
  format: string;
};

/**
 * Takes the next `count` counters of a series, gapless: the row lock on the counter row is held
 * until the issuing transaction ends, so concurrent issues queue here and a rollback returns the
 * numbers. Never a sequence (nextval is not rolled back). Takes nothing and returns the later
 * date when the series already has a later issue date (in any period), which would put numbers
 * and dates out of order.
 */
export async function allocateSeriesNumbers(
  db: Db,
  params: {
    workspaceId: string;
    code: string;
    docKind: (typeof numberSeries.$inferInsert)["docKind"];
    format: string;
    periodKey: string;
    issueDate: string;
    count: number;
  },
): Promise<AllocatedNumbers | { laterDate: string }> {
  await db
    .insert(numberSeries)
    .values({
      workspaceId: params.workspaceId,
      code: params.code,
      docKind: params.docKind,
      format: params.format,
      periodKey: params.periodKey,
    })
    .onConflictDoNothing({ target: [numberSeries.workspaceId, numberSeries.code, numberSeries.periodKey] });
  // Checked after taking the lock, so a concurrent later-dated issue cannot slip in between.
  const [row] = await queryRows<{ id: string; format: string; latest: string | null }>(
    db,
    sql`select s.id, s.format, greatest(
          (select max(last_issue_date) from number_series
            where workspace_id = s.workspace_id and code = s.code),
          (select max(issue_date) from invoices where workspace_id = s.workspace_id and series_id = s.id)
        )::text as latest
        from number_series s
        where s.workspace_id = ${params.workspaceId} and s.code = ${params.code} and s.period_key = ${params.periodKey}
        for update of s`,
  );
  if (!row) throw new Error(`number series ${params.code}/${params.periodKey} vanished`);
  if (row.latest && row.latest > params.issueDate) return { laterDate: row.latest };
  const [taken] = await queryRows<{ first: number }>(
    db,
    sql`update number_series set next_no = next_no + ${params.count},
          last_issue_date = greatest(last_issue_date, ${params.issueDate}::date)
        where id = ${row.id}
        returning next_no - ${params.count} as first`,
  );
  if (!taken) throw new Error(`number series ${row.id} vanished`);
  return { seriesId: row.id, firstCounter: Number(taken.first), format: row.format };
}

/** The highest number of the series (`seriesNumberPattern`) at or above this counter, imported ones included. */
export async function findHigherInSeries(
  db: Db,
  workspaceId: string,
  pattern: string,
  counter: number,
): Promise<string | undefined> {
  const [row] = await queryRows<{ number: string }>(
    db,
    sql`select number from invoices
        where workspace_id = ${workspaceId} and number ~ ${pattern}
          and substring(number from ${pattern})::numeric >= ${counter}
        order by substring(number from ${pattern})::numeric desc limit 1`,
  );
  return row?.number;
}

/** Which of these numbers an invoice of the workspace already carries (imported ones included). */
export async function findTakenNumbers(db: Db, workspaceId: string, numbers: string[]): Promise<string[]> {
  if (numbers.length === 0) return [];
  const rows = await db
    .select({ number: invoices.number })
    .from(invoices)
    .where(and(eq(invoices.workspaceId, workspaceId), inArray(invoices.number, numbers)));
  return rows.flatMap((row) => (row.number ? [row.number] : []));
}

export function listInvoicesByIds(db: Db, workspaceId: string, invoiceIds: string[]) {
  if (invoiceIds.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(invoices)
    .where(and(eq(invoices.workspaceId, workspaceId), inArray(invoices.id, invoiceIds)));
}

export type IssuedFields = {
  id: string;
  status: InvoiceRow["status"];
  seriesId: string;
  number: string;
  dueDate: string;
  subtotalMinor: number;
  vatMinor: number;
  withholdingMinor: number;
  withholdingRateBp: number;
  totalMinor: number;
  openMinor: number;
  vatBreakdown: InvoiceRow["vatBreakdown"];
  exchangeRate: string;
  exchangeRateDate: string;
  exchangeRateSource: string;
  buyer: NonNullable<InvoiceRow["buyer"]>;
  paymentTermsDays: number;
  paymentTermsRule: NonNullable<InvoiceRow["paymentTermsRule"]>;
  receiptToken: string;
};

/**
 * Freezes many drafts as issued in one statement (row triggers and statement triggers on
 * invoices then run once per batch, not once per invoice) and returns them in the given order.
 */
export async function markInvoicesIssued(
  db: Db,
  workspaceId: string,
  common: {
    issueDate: string;
    baseCurrency: string;
    seller: NonNullable<InvoiceRow["seller"]>;
    issuedAt: Date;
    issuedByMemberId: string | null;
  },
  rows: IssuedFields[],
): Promise<InvoiceRow[]> {
  if (rows.length === 0) return [];
  const json = JSON.stringify(rows);
  const at = common.issuedAt.toISOString();
  await db.execute(sql`
    update invoices i set
      status = x."status", series_id = x."seriesId", number = x."number",
      issue_date = ${common.issueDate}::date, due_date = x."dueDate",
      subtotal_minor = x."subtotalMinor", vat_minor = x."vatMinor",
      withholding_minor = x."withholdingMinor", withholding_rate_bp = x."withholdingRateBp",
      total_minor = x."totalMinor", open_minor = x."openMinor", vat_breakdown = x."vatBreakdown",
      base_currency = ${common.baseCurrency}, exchange_rate = x."exchangeRate",
      exchange_rate_date = x."exchangeRateDate", exchange_rate_source = x."exchangeRateSource",
      seller = ${JSON.stringify(common.seller)}::jsonb, buyer = x."buyer",
      payment_terms_days = x."paymentTermsDays", payment_terms_rule = x."paymentTermsRule",
      issued_at = ${at}::timestamptz, issued_by_member_id = ${common.issuedByMemberId}::uuid,
      receipt_token = x."receiptToken", updated_at = ${at}::timestamptz
    from jsonb_to_recordset(${json}::jsonb) as x(
      "id" uuid, "status" text, "seriesId" uuid, "number" text, "dueDate" date,
      "subtotalMinor" bigint, "vatMinor" bigint, "withholdingMinor" bigint, "withholdingRateBp" integer,
      "totalMinor" bigint, "openMinor" bigint, "vatBreakdown" jsonb, "exchangeRate" numeric,
      "exchangeRateDate" date, "exchangeRateSource" text, "buyer" jsonb, "paymentTermsDays" integer,
      "paymentTermsRule" text, "receiptToken" text)
    where i.workspace_id = ${workspaceId} and i.id = x."id"`);
  const updated = await listInvoicesByIds(
    db,
    workspaceId,
    rows.map((row) => row.id),
  );
  const byId = new Map(updated.map((row) => [row.id, row]));
  return rows.map((row) => {
    const issued = byId.get(row.id);
    if (!issued || issued.number !== row.number) throw new Error(`invoice ${row.id} vanished while issuing`);
    return issued;
  });
}

/** Invoices by id, locked for the caller's transaction (in id order, so lockers never deadlock). */
export function lockInvoices(db: Db, workspaceId: string, invoiceIds: string[]) {
  return db
    .select()
    .from(invoices)
    .where(and(eq(invoices.workspaceId, workspaceId), inArray(invoices.id, invoiceIds)))
    .orderBy(asc(invoices.id))
    .for("update");
}

/** The lines of several invoices, in order, by invoice id. */
export async function linesByInvoice(
  db: Db,
  workspaceId: string,
  invoiceIds: string[],
): Promise<Map<string, InvoiceLineRow[]>> {
  const byInvoice = new Map<string, InvoiceLineRow[]>();
  if (invoiceIds.length === 0) return byInvoice;
  const lines = await db
    .select()
    .from(invoiceLines)
    .where(and(eq(invoiceLines.workspaceId, workspaceId), inArray(invoiceLines.invoiceId, invoiceIds)))
    .orderBy(asc(invoiceLines.invoiceId), asc(invoiceLines.position));
  for (const line of lines) {
    const list = byInvoice.get(line.invoiceId);
    if (list) list.push(line);
    else byInvoice.set(line.invoiceId, [line]);
  }
  return byInvoice;
}

export function listClientsByIds(db: Db, workspaceId: string, clientIds: string[]) {
  return db
    .select()
    .from(clients)
    .where(and(eq(clients.workspaceId, workspaceId), inArray(clients.id, clientIds)));
}

export function listMilestonesByIds(db: Db, workspaceId: string, milestoneIds: string[]) {
  if (milestoneIds.length === 0) return Promise.resolve([]);
  return db
    .select({ id: milestones.id, name: milestones.name, currency: milestones.currency })
    .from(milestones)
    .where(and(eq(milestones.workspaceId, workspaceId), inArray(milestones.id, milestoneIds)));
}

/** Issued credit or interest notes that refer to an invoice, oldest first. */
export function listIssuedNotesFor(
  db: Db,
  workspaceId: string,
  invoiceId: string,
  kind: "credit_note" | "interest_note",
) {
  return db
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.workspaceId, workspaceId),
        eq(invoices.correctsInvoiceId, invoiceId),
        eq(invoices.kind, kind),
        inArray(invoices.status, ["issued", "partially_paid", "paid", "credited"]),
      ),
    )
    .orderBy(asc(invoices.issueDate), asc(invoices.createdAt));
}

export function listPayments(db: Db, workspaceId: string, invoiceId: string) {
  return db
    .select()
    .from(payments)
    .where(and(eq(payments.workspaceId, workspaceId), eq(payments.invoiceId, invoiceId)))
    .orderBy(asc(payments.paidOn), asc(payments.createdAt));
}

/** Payments and issued credit notes settled against an invoice, in minor units. */
export async function sumSettlements(db: Db, workspaceId: string, invoiceId: string) {
  const [row] = await queryRows<{ paid: string | null; credited: string | null }>(
    db,
    sql`select
          (select coalesce(sum(amount_minor), 0) from payments
            where workspace_id = ${workspaceId} and invoice_id = ${invoiceId})::text as paid,
          (select coalesce(sum(total_minor - withholding_minor), 0) from invoices
            where workspace_id = ${workspaceId} and corrects_invoice_id = ${invoiceId}
              and kind = 'credit_note' and status not in ('draft', 'held', 'void'))::text as credited`,
  );
  return { paidMinor: Number(row?.paid ?? 0), creditedMinor: Number(row?.credited ?? 0) };
}

/**
 * Re-reads an invoice's payments and credits and stores its open amount and status as `settle` (the
 * domain's rule: a payment's, or a credit's, which also tells the refund due) makes them.
 */
export async function resettleInvoice<Next extends { status: InvoiceRow["status"]; openMinor: number }>(
  db: Db,
  invoice: InvoiceRow,
  settle: (amounts: { collectibleMinor: number; paidMinor: number; creditedMinor: number }) => Next,
  at: Date,
): Promise<{ next: Next; updated: InvoiceRow }> {
  const settled = await sumSettlements(db, invoice.workspaceId, invoice.id);
  const next = settle({ collectibleMinor: invoice.totalMinor - invoice.withholdingMinor, ...settled });
  const changes = { openMinor: next.openMinor, status: next.status, updatedAt: at };
  const updated = await updateInvoice(db, invoice.id, changes);
  if (!updated) throw new Error(`invoice ${invoice.id} vanished`);
  return { next, updated };
}

/**
 * A client's invoices settled beyond what is due (a credit note on a paid invoice): what was paid
 * and credited above the collectible amount, less what was already paid back, is owed to the client.
 * With `invoiceId`, only that invoice.
 */
export async function refundsDueOfClient(
  db: Db,
  workspaceId: string,
  clientId: string,
  invoiceId?: string,
): Promise<{ number: string; currency: string; refundDueMinor: number }[]> {
  const rows = await queryRows<{ number: string; currency: string; refund: string }>(
    db,
    sql`select number, currency, refund::text as refund from (
          select i.number, trim(i.currency) as currency,
            (select coalesce(sum(p.amount_minor), 0) from payments p
              where p.workspace_id = i.workspace_id and p.invoice_id = i.id)
            + (select coalesce(sum(cn.total_minor - cn.withholding_minor), 0) from invoices cn
              where cn.workspace_id = i.workspace_id and cn.corrects_invoice_id = i.id
                and cn.kind = 'credit_note' and cn.status not in ('draft', 'held', 'void'))
            - (i.total_minor - i.withholding_minor)
            - (select coalesce(sum(r.amount_minor), 0) from refunds r
              where r.workspace_id = i.workspace_id and r.invoice_id = i.id) as refund
          from invoices i
          where i.workspace_id = ${workspaceId}
            and ${invoiceId ? sql`i.id = ${invoiceId}` : sql`i.client_id = ${clientId}`}
            and i.kind <> 'credit_note' and i.status in ('paid', 'credited')
        ) settled where refund > 0 order by number`,
  );
  return rows.map((r) => ({ number: r.number, currency: r.currency, refundDueMinor: Number(r.refund) }));
}

/** A client's issued invoices with something still open, oldest due first. */
export async function openInvoicesOfClient(
  db: Db,
  workspaceId: string,
  clientId: string,
  options: { currency?: string; limit?: number; lock?: boolean } = {},
): Promise<InvoiceRow[]> {
  const query = db
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.workspaceId, workspaceId),
        eq(invoices.clientId, clientId),
        inArray(invoices.status, ["issued", "partially_paid"]),
        gt(invoices.openMinor, 0),
        options.currency ? eq(invoices.currency, options.currency) : undefined,
      ),
    )
    .orderBy(asc(invoices.dueDate), asc(invoices.number))
    .limit(options.limit ?? 100_000);
  return options.lock ? query.for("update") : query;
}

/** A milestone with its project and workspace, the milestone row locked (mark done, undo). */
export async function lockMilestone(db: Db, workspaceId: string, milestoneId: string) {
  const [row] = await db
    .select({ milestone: milestones, project: projects, workspace: workspaces })
    .from(milestones)
    .innerJoin(projects, eq(projects.id, milestones.projectId))
    .innerJoin(workspaces, eq(workspaces.id, milestones.workspaceId))
    .where(and(eq(milestones.id, milestoneId), eq(milestones.workspaceId, workspaceId)))
    .for("update", { of: milestones });
  return row;
}

/** Planned → done; false when it was not planned any more (someone else was first). */
/** Marks a planned milestone done and audits it; false when it was not planned (any more). */
export async function markMilestoneDone(
  db: Db,
  milestone: { id: string; workspaceId: string; status: string },
  done: { at: Date; byMemberId: string | null; actor: string },
): Promise<boolean> {
  const updated = await db
    .update(milestones)
    .set({ status: "done", doneAt: done.at, doneByMemberId: done.byMemberId, updatedAt: done.at })
    .where(and(eq(milestones.id, milestone.id), eq(milestones.status, "planned")))
    .returning({ id: milestones.id });
  if (updated.length === 0) return false;
  await recordAudit(db, {
    workspaceId: milestone.workspaceId,
    actor: done.actor,
    action: "milestone.done",
    entity: "milestone",
    entityId: milestone.id,
    before: { status: milestone.status },
    after: { status: "done", doneAt: done.at.toISOString(), doneByMemberId: done.byMemberId },
  });
  return true;
}

/** Back to planned, without its invoice. */
export async function replanMilestone(db: Db, milestoneId: string, at: Date): Promise<void> {
  await db
    .update(milestones)
    .set({ status: "planned", doneAt: null, doneByMemberId: null, invoiceId: null, updatedAt: at })
    .where(eq(milestones.id, milestoneId));
}

/** Voids a draft or held invoice; false when it is neither (issued meanwhile). */
export async function voidDraftInvoice(db: Db, invoiceId: string, at: Date): Promise<boolean> {
  const voided = await db
    .update(invoices)
    .set({ status: "void", updatedAt: at })
    .where(and(eq(invoices.id, invoiceId), inArray(invoices.status, ["draft", "held"])))
    .returning({ id: invoices.id });
  return voided.length > 0;
}

/** A new milestone, or undefined when its project already has one of that name. */
export async function insertMilestone(db: Db, values: typeof milestones.$inferInsert) {
  const [row] = await db
    .insert(milestones)
    .values(values)
    .onConflictDoNothing({ target: [milestones.projectId, milestones.name] })
    .returning();
  return row;
}

export async function lockMilestoneRow(db: Db, workspaceId: string, milestoneId: string): Promise<void> {
  await db
    .select({ id: milestones.id })
    .from(milestones)
    .where(and(eq(milestones.id, milestoneId), eq(milestones.workspaceId, workspaceId)))
    .for("update");
}

export async function setMilestoneInvoice(db: Db, milestoneId: string, invoiceId: string): Promise<void> {
  await db.update(milestones).set({ invoiceId }).where(eq(milestones.id, milestoneId));
}

export async function insertInvoice(db: Db, values: typeof invoices.$inferInsert): Promise<InvoiceRow> {
  const [row] = await db.insert(invoices).values(values).returning();
  if (!row) throw new Error("insert returned no invoice");
  return row;
}

/** The projects of a workspace, active ones only or all, those a PM manages when `pmMemberId` is given. */
export function listProjectChoices(
  db: Db,
  workspaceId: string,
  only: { pmMemberId?: string; active?: true },
) {
  return db
    .select({ id: projects.id, code: projects.code, name: projects.name, pmMemberId: projects.pmMemberId })
    .from(projects)
    .where(
      and(
        eq(projects.workspaceId, workspaceId),
        only.active ? eq(projects.active, true) : undefined,
        only.pmMemberId === undefined ? undefined : eq(projects.pmMemberId, only.pmMemberId),
      ),
    )
    .orderBy(asc(projects.code));
}

/** The milestones of some projects (or all), with their project, by project, date and name. */
export function listMilestonesWithProject(db: Db, workspaceId: string, projectIds: string[] | undefined) {
  return db
    .select({
      id: milestones.id,
      projectCode: projects.code,
      projectName: projects.name,
      name: milestones.name,
      amountMinor: milestones.amountMinor,
      currency: milestones.currency,
      plannedDate: milestones.plannedDate,
      status: milestones.status,
    })
    .from(milestones)
    .innerJoin(projects, eq(projects.id, milestones.projectId))
    .where(
      and(
        eq(milestones.workspaceId, workspaceId),
        projectIds ? inArray(milestones.projectId, projectIds) : undefined,
      ),
    )
    .orderBy(asc(projects.code), asc(milestones.plannedDate), asc(milestones.name))
    .limit(500);
}

/** The milestones of these projects in these statuses, by date and name. */
export function listMilestoneChoices(
  db: Db,
  workspaceId: string,
  projectIds: string[],
  statuses: ("planned" | "done")[],
) {
  return db
    .select({
      id: milestones.id,
      projectId: milestones.projectId,
      name: milestones.name,
      amountMinor: milestones.amountMinor,
      currency: milestones.currency,
      plannedDate: milestones.plannedDate,
    })
    .from(milestones)
    .where(
      and(
        eq(milestones.workspaceId, workspaceId),
        inArray(milestones.projectId, projectIds),
        inArray(milestones.status, statuses),
      ),
    )
    .orderBy(asc(milestones.plannedDate), asc(milestones.name));
}

export type ProjectChoice = { id: string; code: string; name: string; pmMemberId: string | null };
export type MilestoneChoice = {
  id: string;
  projectId: string;
  name: string;
  amountMinor: number;
  currency: string;
  plannedDate: string | null;
};

/** `locale` is the workspace's, for amounts shown in the picker. */
export type MilestoneChoices = { projects: ProjectChoice[]; milestones: MilestoneChoice[]; locale: string };

/**
 * The projects a user works on and their open milestones: what `/milestone done|undo` match against
 * and what the picker offers. PMs see their own projects; billing and admins every active project.
 * `everyProject` is for matching typed text: a PM naming someone else's project gets a clear
 * refusal, not a picker. Any member may ask: they see their own projects only.
 */
export async function findMilestoneChoices(
  db: Db,
  input: {
    workspaceId: string;
    actor: Actor;
    statuses?: ("planned" | "done")[];
    everyProject?: boolean;
    /** What the user typed: milestones are then loaded only for the projects it can name. */
    tokens?: readonly string[];
  },
): Promise<MilestoneChoices> {
  const { workspaceId, actor } = input;
  const seesAll =
    input.everyProject === true ||
    !isSlackActor(actor) ||
    rolesOf(actor).includes("admin") ||
    rolesOf(actor).includes("billing");
  const [workspace, projectRows] = await Promise.all([
    findWorkspace(db, workspaceId),
    listProjectChoices(db, workspaceId, {
      active: true,
      ...(seesAll ? {} : { pmMemberId: memberIdOf(actor) ?? "00000000-0000-0000-0000-000000000000" }),
    }),
  ]);
  const locale = workspace?.locale ?? "en";
  if (projectRows.length === 0) return { projects: [], milestones: [], locale };
  const searched = input.tokens?.length ? candidateProjects(input.tokens, projectRows) : projectRows;
  if (searched.length === 0) return { projects: projectRows, milestones: [], locale };
  const milestoneRows = await listMilestoneChoices(
    db,
    workspaceId,
    searched.map((p) => p.id),
    input.statuses ?? ["planned"],
  );
  return { projects: projectRows, milestones: milestoneRows, locale };
}

export async function setProjectChannel(
  db: Db,
  workspaceId: string,
  projectId: string,
  channel: { id: string; at: Date },
): Promise<void> {
  await db
    .update(projects)
    .set({ slackChannelId: channel.id, updatedAt: channel.at })
    .where(and(eq(projects.id, projectId), eq(projects.workspaceId, workspaceId)));
}

export function listProjects(db: Db, workspaceId: string): Promise<ProjectRow[]> {
  return db.select().from(projects).where(eq(projects.workspaceId, workspaceId));
}

/** At most two clients whose id is `reference` (a uuid), or whose external id or name (any case) it is. */
export function findClientsByReference(db: Db, workspaceId: string, reference: string, isUuid: boolean) {
  return db
    .select()
    .from(clients)
    .where(
      and(
        eq(clients.workspaceId, workspaceId),
        isUuid
          ? eq(clients.id, reference)
          : or(eq(clients.externalId, reference), sql`lower(${clients.name}) = lower(${reference})`),
      ),
    )
    .limit(2);
}

export function listClientNames(db: Db, workspaceId: string) {
  return db
    .select({ id: clients.id, externalId: clients.externalId, name: clients.name })
    .from(clients)
    .where(eq(clients.workspaceId, workspaceId));
}

/** A client's name with its workspace's locale. */
export async function findClientName(db: Db, workspaceId: string, clientId: string) {
  const [row] = await db
    .select({ name: clients.name, locale: workspaces.locale })
    .from(clients)
    .innerJoin(workspaces, eq(workspaces.id, clients.workspaceId))
    .where(and(eq(clients.workspaceId, workspaceId), eq(clients.id, clientId)));
  return row;
}

/** Where an invoice is shown in Slack: the workspace's billing channel and its project's channel. */
export async function findInvoiceChannels(db: Db, invoiceId: string) {
  const [row] = await db
    .select({ billing: workspaces.billingChannelId, project: projects.slackChannelId })
    .from(invoices)
    .innerJoin(workspaces, eq(workspaces.id, invoices.workspaceId))
    .leftJoin(projects, eq(projects.id, invoices.projectId))
    .where(eq(invoices.id, invoiceId));
  return row;
}

/** Changes one invoice and returns it as it now is (undefined if it is gone). */
export async function updateInvoice(
  db: Db,
  invoiceId: string,
  changes: Partial<typeof invoices.$inferInsert>,
): Promise<InvoiceRow | undefined> {
  const [row] = await db.update(invoices).set(changes).where(eq(invoices.id, invoiceId)).returning();
  return row;
}

/** Records the client's receipt once; undefined when it was already recorded. */
export async function markInvoiceReceived(db: Db, invoiceId: string, at: Date) {
  const [row] = await db
    .update(invoices)
    .set({ receivedAt: at })
    .where(and(eq(invoices.id, invoiceId), sql`${invoices.receivedAt} is null`))
    .returning();
  return row;
}

export async function setLineNets(db: Db, lines: { id: string; netMinor: number }[]): Promise<void> {
  await Promise.all(
    lines.map((line) =>
      db.update(invoiceLines).set({ netMinor: line.netMinor }).where(eq(invoiceLines.id, line.id)),
    ),
  );
}

export async function findPaymentByDedupeKey(db: Db, workspaceId: string, dedupeKey: string) {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.workspaceId, workspaceId), eq(payments.dedupeKey, dedupeKey)));
  return row;
}

export async function insertPayment(db: Db, values: typeof payments.$inferInsert): Promise<PaymentRow> {
  const [row] = await db.insert(payments).values(values).returning();
  if (!row) throw new Error("insert returned no payment");
  return row;
}

/** The payments whose dedupe key starts with `prefix` (the parts of one client payment). */
export function paymentsByKeyPrefix(db: Db, workspaceId: string, prefix: string) {
  return db
    .select({ invoiceId: payments.invoiceId, amountMinor: payments.amountMinor })
    .from(payments)
    .where(
      and(
        eq(payments.workspaceId, workspaceId),
        sql`left(${payments.dedupeKey}, ${prefix.length}) = ${prefix}`,
      ),
    );
}

export async function findRefundByDedupeKey(db: Db, workspaceId: string, dedupeKey: string) {
  const [row] = await db
    .select({ amountMinor: refunds.amountMinor })
    .from(refunds)
    .where(and(eq(refunds.workspaceId, workspaceId), eq(refunds.dedupeKey, dedupeKey)));
  return row;
}

export async function insertRefund(db: Db, values: typeof refunds.$inferInsert): Promise<{ id: string }> {
  const [row] = await db.insert(refunds).values(values).returning({ id: refunds.id });
  if (!row) throw new Error("insert returned no refund");
  return row;
}

export async function lockClient(db: Db, workspaceId: string, clientId: string) {
  const [row] = await db
    .select()
    .from(clients)
    .where(and(eq(clients.workspaceId, workspaceId), eq(clients.id, clientId)))
    .for("update");
  return row;
}

export async function updateClient(
  db: Db,
  clientId: string,
  changes: Partial<typeof clients.$inferInsert>,
): Promise<void> {
  await db.update(clients).set(changes).where(eq(clients.id, clientId));
}

export async function lockProject(db: Db, workspaceId: string, projectId: string) {
  const [row] = await db
    .select()
    .from(projects)
    .where(and(eq(projects.workspaceId, workspaceId), eq(projects.id, projectId)))
    .for("update");
  return row;
}

export async function updateProject(
  db: Db,
  projectId: string,
  changes: Partial<typeof projects.$inferInsert>,
): Promise<void> {
  await db.update(projects).set(changes).where(eq(projects.id, projectId));
}

/** The e-mail of each of these members of the workspace. */
export async function memberEmails(
  db: Db,
  workspaceId: string,
  memberIds: string[],
): Promise<Map<string, string>> {
  if (memberIds.length === 0) return new Map();
  const rows = await db
    .select({ id: members.id, email: members.email })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), inArray(members.id, memberIds)));
  return new Map(rows.map((m) => [m.id, m.email ?? ""]));
}

/** How many invoices of a client still have something open (or owed back). */
export async function countOpenInvoicesOfClient(db: Db, workspaceId: string, clientId: string) {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(invoices)
    .where(
      and(
        eq(invoices.workspaceId, workspaceId),
        eq(invoices.clientId, clientId),
        sql`${invoices.openMinor} <> 0`,
      ),
    );
  return row?.n ?? 0;
}

/** The VERI*FACTU records (altas and anulaciones) of an invoice. */
export function listAltaAndAnulacionRecords(db: Db, workspaceId: string, invoiceId: string) {
  return db
    .select()
    .from(verifactuRecords)
    .where(and(eq(verifactuRecords.workspaceId, workspaceId), eq(verifactuRecords.invoiceId, invoiceId)));
}

/** The latest alta record of an invoice, if it has one. */
export async function findLatestAltaRecord(db: Db, workspaceId: string, invoiceId: string) {
  const [row] = await db
    .select({ invoiceType: verifactuRecords.invoiceType })
    .from(verifactuRecords)
    .where(
      and(
        eq(verifactuRecords.workspaceId, workspaceId),
        eq(verifactuRecords.invoiceId, invoiceId),
        eq(verifactuRecords.kind, "alta"),
      ),
    )
    .orderBy(desc(verifactuRecords.sequence))
    .limit(1);
  return row;
}

export function listAltaRecordsOf(db: Db, invoiceIds: string[]) {
  return db
    .select()
    .from(verifactuRecords)
    .where(and(inArray(verifactuRecords.invoiceId, invoiceIds), eq(verifactuRecords.kind, "alta")));
}

/** An e-mail of this invoice (of the given payload type) that is sent or on its way. */
export async function findInvoiceEmailDelivery(
  db: Db,
  workspaceId: string,
  invoiceId: string,
  payloadType: string,
) {
  const [row] = await db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      and(
        eq(deliveries.workspaceId, workspaceId),
        eq(deliveries.invoiceId, invoiceId),
        eq(deliveries.kind, "email"),
        inArray(deliveries.status, ["pending", "sent"]),
        sql`${deliveries.payload} ->> 'type' = ${payloadType}`,
      ),
    )
    .limit(1);
  return row;
}

export async function findDeliveryOf(db: Db, workspaceId: string, deliveryId: string) {
  const [row] = await db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(and(eq(deliveries.id, deliveryId), eq(deliveries.workspaceId, workspaceId)));
  return row;
}

/** A provider's event, once (by its event id); undefined when it was recorded before. */
export async function insertEmailEvent(db: Db, values: typeof emailEvents.$inferInsert) {
  const [row] = await db
    .insert(emailEvents)
    .values(values)
    .onConflictDoNothing({ target: emailEvents.providerEventId })
    .returning({ id: emailEvents.id });
  return row;
}

/** The credit note of an invoice, if one was made. */
export async function findCreditNoteOf(db: Db, invoiceId: string) {
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.correctsInvoiceId, invoiceId), eq(invoices.kind, "credit_note")))
    .limit(1);
  return row;
}

/** The VAT breakdowns of the issued credit notes of an invoice. */
export function listIssuedCreditNotesOf(db: Db, workspaceId: string, invoiceId: string) {
  return db
    .select({ vatBreakdown: invoices.vatBreakdown })
    .from(invoices)
    .where(
      and(
        eq(invoices.workspaceId, workspaceId),
        eq(invoices.correctsInvoiceId, invoiceId),
        eq(invoices.kind, "credit_note"),
        notInArray(invoices.status, ["draft", "held", "void"]),
      ),
    );
}

/** The notes (credit, interest) that refer to an invoice, oldest first. */
export function listNotesCorrecting(db: Db, workspaceId: string, invoiceId: string) {
  return db
    .select({
      id: invoices.id,
      kind: invoices.kind,
      number: invoices.number,
      status: invoices.status,
      totalMinor: invoices.totalMinor,
      issueDate: invoices.issueDate,
    })
    .from(invoices)
    .where(and(eq(invoices.workspaceId, workspaceId), eq(invoices.correctsInvoiceId, invoiceId)))
    .orderBy(asc(invoices.createdAt));
}

/** Invoices with their client's name, newest first (drafts on top), optionally of one status or client. */
export function listInvoiceRows(
  db: Db,
  where: { workspaceId: string; status?: InvoiceRow["status"] | undefined; clientId?: string | undefined },
  limit: number,
) {
  const { id, number, kind, status, currency, issueDate, dueDate, totalMinor, openMinor } =
    getTableColumns(invoices);
  const shown = { id, number, kind, status, currency, issueDate, dueDate, totalMinor, openMinor };
  return db
    .select({ ...shown, clientName: clients.name })
    .from(invoices)
    .innerJoin(clients, eq(clients.id, invoices.clientId))
    .where(
      and(
        eq(invoices.workspaceId, where.workspaceId),
        where.status ? eq(invoices.status, where.status) : undefined,
        where.clientId !== undefined ? eq(invoices.clientId, where.clientId) : undefined,
      ),
    )
    .orderBy(sql`${invoices.issueDate} desc nulls first`, desc(invoices.number), desc(invoices.createdAt))
    .limit(limit);
}

export async function findImportedInvoicePdf(db: Db, workspaceId: string, invoiceId: string) {
  const [row] = await db
    .select({ filename: importedInvoicePdfs.filename, content: importedInvoicePdfs.content })
    .from(importedInvoicePdfs)
    .where(
      and(eq(importedInvoicePdfs.invoiceId, invoiceId), eq(importedInvoicePdfs.workspaceId, workspaceId)),
    );
  return row;
}

/** The French statutory late-interest rates of these half-years. */
export function listFrenchInterestRates(db: Db, halfYearStarts: string[]) {
  return db
    .select({
      halfYearStart: lateInterestRates.halfYearStart,
      referenceRateBp: lateInterestRates.referenceRateBp,
      totalRateBp: lateInterestRates.totalRateBp,
    })
    .from(lateInterestRates)
    .where(
      and(eq(lateInterestRates.jurisdiction, "FR"), inArray(lateInterestRates.halfYearStart, halfYearStarts)),
    );
}

// --- Delivery claims of invoicing: written in the caller's transaction, enqueued after commit ---------

// Claims the Slack posts of an invoice's message in the billing channel and its project's channel.
// The delivery handler posts it the first time and updates it in place afterwards.
export const INVOICE_MESSAGE_PAYLOAD = "invoice_message";

export const InvoiceMessagePayload = z.object({
  type: z.literal(INVOICE_MESSAGE_PAYLOAD),
  invoiceId: z.string(),
  channelId: z.string(),
  /** Only update a message already posted; never post a new one (refresh after undo or edit). */
  refreshOnly: z.boolean(),
});
export type InvoiceMessagePayload = z.output<typeof InvoiceMessagePayload>;

/** `occurrence` makes a refresh after a change (undo, edit) a new claim; omit it for the first post. */
export async function claimInvoiceMessages(
  db: Db,
  input: { workspaceId: string; invoiceId: string; occurrence?: string },
): Promise<{ deliveryIds: string[]; channelIds: string[] }> {
  const row = await findInvoiceChannels(db, input.invoiceId);
  if (!row) return { deliveryIds: [], channelIds: [] };
  const channelIds = [...new Set([row.billing, row.project].filter((c): c is string => Boolean(c)))];
  const deliveryIds = await claimDeliveries(
    db,
    channelIds.map((channelId) => ({
      workspaceId: input.workspaceId,
      kind: "slack_message" as const,
      invoiceId: input.invoiceId,
      dedupeKey: `invoice-message:${input.invoiceId}:${channelId}${input.occurrence ? `:${input.occurrence}` : ""}`,
      payload: {
        type: INVOICE_MESSAGE_PAYLOAD,
        invoiceId: input.invoiceId,
        channelId,
        refreshOnly: Boolean(input.occurrence),
      },
    })),
  );
  return { deliveryIds, channelIds };
}

// Claims the Slack notification of an invoice event (issued, e-mailed, received, paid, reminded…).
// The Slack delivery handler posts it in the invoice's thread and refreshes the parent message.
export type InvoiceEvent =
  | "draft_created"
  | "issued"
  | "emailed"
  | "email_bounced"
  | "email_delivered"
  | "received"
  | "payment_recorded"
  | "online_payment_unapplied"
  | "paid"
  | "credited"
  | "cancelled"
  | "held"
  | "reminder_sent"
  | "overdue"
  | "promise_to_pay"
  | "paused"
  | "disputed"
  | "assigned";

export type InvoiceEventNotice = {
  workspaceId: string;
  invoiceId: string;
  event: InvoiceEvent;
  /** Distinguishes repeated events of the same kind (payment id, reminder level, send request id). */
  occurrence?: string;
  /** Who did it (member id or "system") and short facts to show. */
  actor?: string;
  detail?: Record<string, unknown>;
};

export const INVOICE_EVENT_PAYLOAD = "invoice_event";

export function notifyInvoiceEvent(db: Db, notice: InvoiceEventNotice): Promise<string | null> {
  return claimDelivery(db, invoiceEventClaim(notice));
}

/** The delivery claim of a notice, for callers that claim many at once. */
export function invoiceEventClaim(notice: InvoiceEventNotice): DeliveryClaim {
  return {
    workspaceId: notice.workspaceId,
    kind: "slack_message",
    invoiceId: notice.invoiceId,
    dedupeKey: `invoice-event:${notice.invoiceId}:${notice.event}:${notice.occurrence ?? "once"}`,
    payload: {
      type: INVOICE_EVENT_PAYLOAD,
      invoiceId: notice.invoiceId,
      event: notice.event,
      actor: notice.actor ?? "system",
      detail: notice.detail ?? {},
    },
  };
}

// Claims the e-mailing of issued invoices, once per send request.
export const INVOICE_EMAIL_PAYLOAD = "invoice_email";

export const InvoiceEmailPayload = z.object({
  type: z.literal(INVOICE_EMAIL_PAYLOAD),
  invoiceId: z.string(),
  to: z.array(z.string()),
  sendRequestId: z.string(),
});
export type InvoiceEmailPayload = z.output<typeof InvoiceEmailPayload>;

export type EmailClaimOutcome =
  | { invoiceId: string; ok: true; deliveryId: string | null; to: string[] }
  | { invoiceId: string; ok: false; error: DomainError };

/**
 * Claims the e-mails of several issued invoices in the caller's transaction (one statement for
 * all claims); a request already claimed gets `deliveryId: null`. Enqueue the new ids after commit.
 */
export async function claimInvoiceEmails(
  tx: Db,
  input: {
    workspaceId: string;
    actor: string;
    requests: { invoiceId: string; sendRequestId: string; to?: string[] | undefined }[];
    /** The invoices' rows when the caller has just read or written them in this transaction. */
    rows?: InvoiceRow[];
  },
): Promise<EmailClaimOutcome[]> {
  const { workspaceId } = input;
  const rows =
    input.rows ??
    (await listInvoicesByIds(tx, workspaceId, [...new Set(input.requests.map((r) => r.invoiceId))]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const outcomes: EmailClaimOutcome[] = [];
  const claims: { outcome: number; claim: DeliveryClaim; to: string[]; sendRequestId: string }[] = [];
  for (const request of input.requests) {
    const invoice = byId.get(request.invoiceId);
    try {
      if (!invoice) {
        throw invoiceNotFound();
      }
      transitionInvoice(invoice.status, "send");
      const to = request.to ?? invoice.buyer?.emails ?? [];
      if (to.length === 0) {
        throw new DomainError("invoice.no_recipient", "client has no billing e-mail", {
          userMessage: `Invoice ${invoice.number} cannot be e-mailed: the client has no billing e-mail address. Add one to the client, then send again.`,
          messageKey: "invoicing.error.no_recipient",
          messageValues: { number: invoice.number ?? "" },
        });
      }
      const payload: InvoiceEmailPayload = {
        type: INVOICE_EMAIL_PAYLOAD,
        invoiceId: invoice.id,
        to,
        sendRequestId: request.sendRequestId,
      };
      claims.push({
        outcome: outcomes.length,
        to,
        sendRequestId: request.sendRequestId,
        claim: {
          workspaceId,
          kind: "email",
          invoiceId: invoice.id,
          dedupeKey: emailDedupeKey(invoice.id, request.sendRequestId),
          payload,
        },
      });
      outcomes.push({ invoiceId: request.invoiceId, ok: true, deliveryId: null, to });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      outcomes.push({ invoiceId: request.invoiceId, ok: false, error });
    }
  }
  const inserted = await claimDeliveriesReturningKeys(
    tx,
    claims.map((c) => c.claim),
  );
  const audits: AuditEntry[] = [];
  for (const { outcome, claim, to, sendRequestId } of claims) {
    const deliveryId = inserted.get(claim.dedupeKey);
    if (!deliveryId) continue;
    outcomes[outcome] = { invoiceId: claim.invoiceId as string, ok: true, deliveryId, to };
    audits.push({
      workspaceId,
      actor: input.actor,
      action: "invoice.send_requested",
      entity: "invoice",
      entityId: claim.invoiceId as string,
      after: { to, deliveryId, sendRequestId },
    });
  }
  await recordAudit(tx, audits);
  return outcomes;
}

function emailDedupeKey(invoiceId: string, sendRequestId: string): string {
  return `invoice-email:${invoiceId}:${sendRequestId}`;
}

// A client of the workspace by its id, external id or exact name (any case), else by the start of its
// name with accents optional (as projects are found), or a clear refusal.
export async function findClientByReference(
  db: Db,
  workspaceId: string,
  reference: string,
): Promise<ClientRow> {
  const wanted = reference.trim();
  const isUuid = /^[0-9a-f-]{36}$/i.test(wanted);
  const found = await findClientsByReference(db, workspaceId, wanted, isUuid);
  if (found.length === 0 && !isUuid) return findClientByNameStart(db, workspaceId, wanted);
  const [client, other] = found;
  if (!client || other) {
    throw new DomainError("client.reference", `client "${wanted}" not found once`, {
      userMessage: client
        ? `Several clients are called "${wanted}": give the external id instead.`
        : `No client "${wanted}" in this workspace: give its id, external id or exact name.`,
      messageKey: client ? "invoicing.error.client_same_name" : "invoicing.error.client_not_found",
      messageValues: { name: wanted },
    });
  }
  return client;
}

/** Only a single best match is taken: two clients starting alike are named for the user to choose. */
async function findClientByNameStart(db: Db, workspaceId: string, wanted: string): Promise<ClientRow> {
  const names = await listClientNames(db, workspaceId);
  const matches = bestMatches(wanted, names, (c) => [c.externalId, c.name]);
  const [only] = matches;
  if (matches.length === 1 && only) {
    const client = await findClient(db, workspaceId, only.id);
    if (client) return client;
  }
  const shown = `${matches
    .slice(0, 5)
    .map((c) => `${c.name} (${c.externalId})`)
    .join(", ")}${matches.length > 5 ? ", …" : ""}`;
  throw new DomainError("client.reference", `client "${wanted}" not found once`, {
    userMessage:
      matches.length > 1
        ? `Several clients match "${wanted}": ${shown}. Give the external id.`
        : `No client "${wanted}" in this workspace: give its id, external id or the start of its name.`,
    ...(matches.length > 1
      ? {
          messageKey: "invoicing.error.client_several_match",
          messageValues: { name: wanted, clients: shown, hint: "external" },
        }
      : { messageKey: "invoicing.error.client_not_found_start", messageValues: { name: wanted } }),
  });
}

// One project of the workspace from what a user typed (code, name prefix, any case or accents).
export async function findProjectByReference(
  db: Db,
  workspaceId: string,
  query: string,
): Promise<ProjectRow> {
  const rows = await listProjects(db, workspaceId);
  const hits = bestMatches(query, rows, (p) => [p.code, p.name]);
  if (hits.length === 1 && hits[0]) return hits[0];
  if (hits.length === 0) {
    throw new DomainError("project.not_found", `no project matches ${query}`, {
      userMessage: `No project matches "${query}". Use its code or the start of its name; \`/milestone list\` shows your projects.`,
      messageKey: "invoicing.error.project_not_found",
      messageValues: { query },
    });
  }
  const codes = `${hits
    .slice(0, 5)
    .map((p) => p.code)
    .join(", ")}${hits.length > 5 ? ", …" : ""}`;
  throw new DomainError("project.ambiguous", `several projects match ${query}`, {
    userMessage: `"${query}" matches ${hits.length} projects (${codes}): use the project code.`,
    messageKey: "invoicing.error.project_ambiguous",
    messageValues: { query, count: hits.length, codes },
  });
}
