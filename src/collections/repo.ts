// Collections rows: collection state, reminders, whom monthly statements chase.
import { and, eq, inArray, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.ts";
import { invoiceCollections, reminders } from "../db/schema/index.ts";

export type CollectionRow = typeof invoiceCollections.$inferSelect;
export type ReminderRow = typeof reminders.$inferSelect;

export type InvoiceCollectionView = {
  invoiceId: string;
  workspaceId: string;
  number: string | null;
  kind: string;
  status: string;
  currency: string;
  totalMinor: number;
  openMinor: number;
  dueDate: string;
  clientId: string;
  clientName: string;
  clientEmails: string[];
  language: "es" | "fr" | "en";
  profile: "public" | "business" | "individual";
  projectId: string | null;
  projectName: string | null;
  projectChannelId: string | null;
  pmMemberId: string | null;
  pmSlackUserId: string | null;
  collectorMemberId: string | null;
  collectorSlackUserId: string | null;
  overdueAt: Date | null;
  level: number;
  lastReminderOn: string | null;
  pausedUntil: string | null;
  pauseReason: string | null;
  promisedOn: string | null;
  disputedAt: Date | null;
  formalApprovedAt: Date | null;
};

const viewSelect = sql`select i.id as invoice_id, i.workspace_id, i.number, i.kind, i.status, i.currency,
       i.total_minor, i.open_minor, i.due_date::text as due_date,
       c.id as client_id, c.name as client_name, c.emails as client_emails, c.language, c.profile,
       p.id as project_id, p.name as project_name, p.slack_channel_id as project_channel_id,
       p.pm_member_id, mp.slack_user_id as pm_slack_user_id,
       coalesce(ic.collector_member_id, c.collector_member_id) as collector_member_id,
       mc.slack_user_id as collector_slack_user_id,
       ic.overdue_at, coalesce(ic.level, 0) as level, ic.last_reminder_on::text as last_reminder_on,
       ic.paused_until::text as paused_until, ic.pause_reason, ic.promised_on::text as promised_on,
       ic.disputed_at, ic.formal_approved_at
  from invoices i
  join clients c on c.id = i.client_id
  left join projects p on p.id = i.project_id
  left join invoice_collections ic on ic.invoice_id = i.id
  left join members mp on mp.id = p.pm_member_id
  left join members mc on mc.id = coalesce(ic.collector_member_id, c.collector_member_id)`;

function toView(r: Record<string, unknown>): InvoiceCollectionView {
  const date = (v: unknown) => (v == null ? null : v instanceof Date ? v : new Date(String(v)));
  const text = (v: unknown) => (v == null ? null : String(v));
  const emails = r.client_emails;
  return {
    invoiceId: String(r.invoice_id),
    workspaceId: String(r.workspace_id),
    number: text(r.number),
    kind: String(r.kind),
    status: String(r.status),
    currency: String(r.currency).trim(),
    totalMinor: Number(r.total_minor),
    openMinor: Number(r.open_minor),
    dueDate: String(r.due_date),
    clientId: String(r.client_id),
    clientName: String(r.client_name),
    clientEmails: Array.isArray(emails)
      ? emails.map(String)
      : String(emails ?? "{}")
          .replace(/^\{|\}$/g, "")
          .split(",")
          .filter(Boolean),
    language: String(r.language) as InvoiceCollectionView["language"],
    profile: String(r.profile) as InvoiceCollectionView["profile"],
    projectId: text(r.project_id),
    projectName: text(r.project_name),
    projectChannelId: text(r.project_channel_id),
    pmMemberId: text(r.pm_member_id),
    pmSlackUserId: text(r.pm_slack_user_id),
    collectorMemberId: text(r.collector_member_id),
    collectorSlackUserId: text(r.collector_slack_user_id),
    overdueAt: date(r.overdue_at),
    level: Number(r.level ?? 0),
    lastReminderOn: text(r.last_reminder_on),
    pausedUntil: text(r.paused_until),
    pauseReason: text(r.pause_reason),
    promisedOn: text(r.promised_on),
    disputedAt: date(r.disputed_at),
    formalApprovedAt: date(r.formal_approved_at),
  };
}

export async function findInvoiceCollection(
  db: Db,
  workspaceId: string,
  invoiceId: string,
): Promise<InvoiceCollectionView | null> {
  const [row] = await queryRows(
    db,
    sql`${viewSelect} where i.workspace_id = ${workspaceId} and i.id = ${invoiceId}`,
  );
  return row ? toView(row) : null;
}

export async function listInvoiceCollections(
  db: Db,
  workspaceId: string,
  invoiceIds: string[],
): Promise<InvoiceCollectionView[]> {
  if (invoiceIds.length === 0) return [];
  const rows = await queryRows(
    db,
    sql`${viewSelect} where i.workspace_id = ${workspaceId}
      and i.id in (select unnest(${`{${invoiceIds.join(",")}}`}::uuid[]))
      order by i.due_date, i.number`,
  );
  return rows.map(toView);
}

/**
 * One page of the open receivables due up to `horizon` (pre-due reminders included): what the
 * reminder run looks at, by invoice id after `after` (keyset), at most `limit` of them.
 */
export async function listReminderCandidates(
  db: Db,
  workspaceId: string,
  horizon: string,
  page: { after: string | null; limit: number },
): Promise<InvoiceCollectionView[]> {
  const rows = await queryRows(
    db,
    sql`${viewSelect} where i.workspace_id = ${workspaceId}
      and i.open_minor <> 0 and i.open_minor > 0
      and i.status in ('issued', 'partially_paid')
      and i.due_date <= ${horizon}::date
      and i.kind in ('invoice', 'deposit', 'interest_note')
      ${page.after ? sql`and i.id > ${page.after}::uuid` : sql``}
      order by i.id
      limit ${page.limit}`,
  );
  return rows.map(toView);
}

export async function findReminder(db: Db, invoiceId: string, level: number): Promise<ReminderRow | null> {
  const [row] = await db
    .select()
    .from(reminders)
    .where(and(eq(reminders.invoiceId, invoiceId), eq(reminders.level, level)));
  return row ?? null;
}

/** Claims reminder (invoice, level): only the inserter goes on. */
export async function claimReminder(
  db: Db,
  values: typeof reminders.$inferInsert,
): Promise<ReminderRow | null> {
  const [row] = await db
    .insert(reminders)
    .values(values)
    .onConflictDoNothing({ target: [reminders.invoiceId, reminders.level] })
    .returning();
  return row ?? null;
}

/** Compare-and-set on a reminder's status; returns the row only when this call moved it. */
export async function moveReminder(
  db: Db,
  reminderId: string,
  from: ReminderRow["status"][],
  values: Partial<typeof reminders.$inferInsert>,
): Promise<ReminderRow | null> {
  const [row] = await db
    .update(reminders)
    .set(values)
    .where(and(eq(reminders.id, reminderId), inArray(reminders.status, from)))
    .returning();
  return row ?? null;
}

/** Ensures the collection row exists (pre-due reminders and actions on not-yet-overdue invoices). */
export async function ensureCollection(db: Db, workspaceId: string, invoiceId: string): Promise<void> {
  await db
    .insert(invoiceCollections)
    .values({ workspaceId, invoiceId })
    .onConflictDoNothing({ target: invoiceCollections.invoiceId });
}

export async function updateCollection(
  db: Db,
  workspaceId: string,
  invoiceId: string,
  values: Partial<typeof invoiceCollections.$inferInsert>,
  where?: ReturnType<typeof sql>,
): Promise<CollectionRow | null> {
  const [row] = await db
    .update(invoiceCollections)
    .set({ ...values, updatedAt: sql`now()` })
    .where(
      and(
        eq(invoiceCollections.workspaceId, workspaceId),
        eq(invoiceCollections.invoiceId, invoiceId),
        ...(where ? [where] : []),
      ),
    )
    .returning();
  return row ?? null;
}

/** Clients owing something overdue that nobody has paused or disputed, with an address to write to. */
export async function findClientsWithOverdueToChase(
  db: Db,
  workspaceId: string,
  today: string,
): Promise<{ id: string; emails: string[] }[]> {
  return queryRows<{ id: string; emails: string[] }>(
    db,
    sql`select c.id, c.emails
          from clients c
         where c.workspace_id = ${workspaceId}
           and cardinality(c.emails) > 0
           and exists (
             select 1 from invoices i
               left join invoice_collections ic on ic.invoice_id = i.id
              where i.workspace_id = c.workspace_id and i.client_id = c.id
                and i.status in ('issued', 'partially_paid') and i.open_minor > 0
                and i.due_date < ${today}::date
                and ic.disputed_at is null
                and (ic.paused_until is null or ic.paused_until < ${today}::date))`,
  );
}
