// The daily runs' rows, a page at a time: the invoices that fall overdue, the digest lines of who
// must hear of them, the digests claimed from those lines, the invoice-thread notes; the reminder
// run's reminders of a page and the PMs' heads-ups claimed at its end.
import { inArray, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.ts";
import { invoiceCollections, reminders } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import {
  claimScheduledRun,
  findWorkspaceById,
  takeOverStaleRun,
  type WorkspaceRow,
} from "../workspace/index.ts";
import type { DigestRole } from "./collection-payloads.ts";
import { type CollectionRow, type ReminderRow, updateCollection } from "./repo.ts";

export type OverdueRow = {
  invoiceId: string;
  collectorMemberId: string | null;
  collectorSlackUserId: string | null;
  pmMemberId: string | null;
  pmSlackUserId: string | null;
  projectChannelId: string | null;
};

/** One line of a digest: `recipientKey` hears of `invoiceId` as `role`. */
export type DigestLine = {
  recipientKey: string;
  memberId: string | null;
  slackId: string | null;
  role: DigestRole;
  invoiceId: string;
};

const uuidArray = (ids: string[]) => sql`(select unnest(${`{${ids.join(",")}}`}::uuid[]))`;

/**
 * The next `limit` open invoices due before `today` and not yet overdue, by id after `after`
 * (keyset): what one page of the scan moves.
 */
export async function listOverdueCandidates(
  db: Db,
  workspaceId: string,
  today: string,
  page: { after: string | null; limit: number },
): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`select i.id from invoices i
          left join invoice_collections ic on ic.invoice_id = i.id
         where i.workspace_id = ${workspaceId}
           and i.open_minor <> 0 and i.open_minor > 0
           and i.due_date < ${today}::date
           and i.status in ('issued', 'partially_paid')
           and i.kind in ('invoice', 'deposit', 'interest_note')
           and ic.overdue_at is null
           ${page.after ? sql`and i.id > ${page.after}::uuid` : sql``}
         order by i.id
         limit ${page.limit}`,
  );
  return rows.map((r) => String(r.id));
}

/**
 * The overdue transition of `invoiceIds`, in one statement: each gets `overdue_at` once; a row
 * already overdue is neither updated nor returned, so concurrent scans split the set.
 */
export async function markOverdue(
  db: Db,
  workspaceId: string,
  invoiceIds: string[],
  today: string,
  at: Date,
): Promise<OverdueRow[]> {
  if (invoiceIds.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with transitioned as (
      insert into invoice_collections (invoice_id, workspace_id, overdue_at, collector_member_id)
      select i.id, i.workspace_id, ${at.toISOString()}::timestamptz, c.collector_member_id
        from invoices i join clients c on c.id = i.client_id
       where i.workspace_id = ${workspaceId}
         and i.id in ${uuidArray(invoiceIds)}
         and i.open_minor <> 0 and i.open_minor > 0
         and i.due_date < ${today}::date
         and i.status in ('issued', 'partially_paid')
         and i.kind in ('invoice', 'deposit', 'interest_note')
      on conflict (invoice_id) do update
        set overdue_at = excluded.overdue_at,
            collector_member_id = coalesce(invoice_collections.collector_member_id, excluded.collector_member_id),
            updated_at = now()
        where invoice_collections.overdue_at is null
      returning invoice_id, collector_member_id
    )
    select t.invoice_id, p.slack_channel_id as project_channel_id,
           t.collector_member_id, mc.slack_user_id as collector_slack_user_id,
           p.pm_member_id, mp.slack_user_id as pm_slack_user_id
      from transitioned t
      join invoices i on i.id = t.invoice_id
      left join projects p on p.id = i.project_id
      left join members mc on mc.id = t.collector_member_id
      left join members mp on mp.id = p.pm_member_id`,
  );
  const text = (v: unknown) => (v == null ? null : String(v));
  return rows.map((r) => ({
    invoiceId: String(r.invoice_id),
    projectChannelId: text(r.project_channel_id),
    collectorMemberId: text(r.collector_member_id),
    collectorSlackUserId: text(r.collector_slack_user_id),
    pmMemberId: text(r.pm_member_id),
    pmSlackUserId: text(r.pm_slack_user_id),
  }));
}

/** Writes a page's digest lines (a line written twice is one line). */
export async function addDigestLines(
  db: Db,
  workspaceId: string,
  runDate: string,
  lines: DigestLine[],
): Promise<void> {
  if (lines.length === 0) return;
  const rows = lines.map((l) => ({
    recipient_key: l.recipientKey,
    member_id: l.memberId,
    slack_id: l.slackId,
    role: l.role,
    invoice_id: l.invoiceId,
  }));
  await queryRows(
    db,
    sql`insert into overdue_digest_lines (workspace_id, run_date, recipient_key, member_id, slack_id, role, invoice_id)
        select ${workspaceId}, ${runDate}::date, t.recipient_key, t.member_id, t.slack_id, t.role, t.invoice_id
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            as t(recipient_key text, member_id uuid, slack_id text, role text, invoice_id uuid)
        on conflict do nothing`,
  );
}

/**
 * Claims the day's digests from its lines, one per recipient, in one statement, and deletes the
 * lines: the payload (invoice ids, roles) is built in SQL, so no process holds every invoice at once.
 * The payload is the overdue digest's (collection-payloads.ts `OverdueDigestPayload`).
 */
export async function claimOverdueDigests(
  db: Db,
  workspaceId: string,
  runDate: string,
): Promise<{ id: string; recipientKey: string; roles: DigestRole[]; invoices: number }[]> {
  const prefix = `overdue-digest:${runDate}:`;
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`with lines as (
          delete from overdue_digest_lines
           where workspace_id = ${workspaceId} and run_date = ${runDate}::date
          returning recipient_key, member_id, slack_id, role, invoice_id
        ), digests as (
          select recipient_key, (array_agg(member_id))[1] as member_id, (array_agg(slack_id))[1] as slack_id,
                 to_jsonb(array_agg(distinct role order by role)) as roles,
                 to_jsonb(array_agg(distinct invoice_id)) as invoice_ids,
                 md5(string_agg(distinct invoice_id::text, ',' order by invoice_id::text)) as invoices_key
            from lines group by recipient_key
        )
        insert into deliveries (workspace_id, kind, dedupe_key, payload)
        select ${workspaceId}, case when member_id is null then 'slack_message' else 'slack_dm' end,
               ${prefix} || recipient_key || ':' || invoices_key,
               jsonb_build_object('type', 'overdue_digest', 'runDate', ${runDate}::text,
                 'channel', coalesce(slack_id, ''),
                 'recipient', case when member_id is null
                   then jsonb_build_object('kind', 'channel', 'channelId', slack_id, 'roles', roles)
                   else jsonb_build_object('kind', 'dm', 'memberId', member_id, 'slackUserId', slack_id, 'roles', roles)
                 end,
                 'invoiceIds', invoice_ids)
          from digests
        on conflict (workspace_id, dedupe_key) do nothing
        returning id, dedupe_key, payload->'recipient'->'roles' as roles,
                  jsonb_array_length(payload->'invoiceIds') as invoices`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    // The key ends with the listed invoices' hash: a later scan of the same day that finds new
    // overdue invoices claims a digest of its own rather than colliding with the first.
    recipientKey: String(r.dedupe_key).slice(prefix.length, String(r.dedupe_key).lastIndexOf(":")),
    roles: r.roles as DigestRole[],
    invoices: Number(r.invoices),
  }));
}

/**
 * The "overdue" invoice-thread notes of many invoices in one statement, built in SQL (no payload
 * round trip): same dedupe key and payload as notifyInvoiceEvent(…, "overdue"), which a test checks.
 * `onlyFollowed`: only where someone follows the invoice's thread, i.e. the thread exists and a
 * note in it named a person (Slack makes a person mentioned in a thread follow it); elsewhere the
 * digests that list the invoice are its notice.
 */
export async function claimOverdueNotes(
  db: Db,
  workspaceId: string,
  invoiceIds: string[],
  options: { onlyFollowed: boolean },
): Promise<string[]> {
  if (invoiceIds.length === 0) return [];
  const followed = options.onlyFollowed
    ? sql`and exists (select 1 from slack_messages m
                       where m.workspace_id = i.workspace_id and m.subject_type = 'invoice' and m.subject_id = i.id)
          and exists (select 1 from deliveries n
                       where n.invoice_id = i.id and n.status = 'sent'
                         and n.payload->>'type' = 'invoice_event' and n.payload->>'actor' <> 'system')`
    : sql``;
  const rows = await queryRows<{ id: string }>(
    db,
    sql`insert into deliveries (workspace_id, kind, dedupe_key, invoice_id, payload)
        select i.workspace_id, 'slack_message', 'invoice-event:' || i.id || ':overdue:once', i.id,
               jsonb_build_object('type', 'invoice_event', 'invoiceId', i.id, 'event', 'overdue', 'actor', 'system',
                 'detail', jsonb_build_object('dueDate', i.due_date::text, 'openMinor', i.open_minor,
                                              'currency', i.currency))
          from invoices i
         where i.workspace_id = ${workspaceId}
           and i.id in ${uuidArray(invoiceIds)}
           ${followed}
        on conflict (workspace_id, dedupe_key) do nothing
        returning id`,
  );
  return rows.map((r) => String(r.id));
}

/**
 * The PMs' heads-ups of the day, one DM per PM listing the reminders that go out on `sendOn` and
 * that no heads-up claimed yet, in one statement that also marks them claimed (so a later run of
 * the same day warns only about what is new). Invoices without a PM have no heads-up. The payload
 * is collection-payloads.ts `HeadsUpPayload`.
 */
export async function claimHeadsUps(
  db: Db,
  workspaceId: string,
  today: string,
  sendOn: string,
): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`with due as (
          select r.id, r.invoice_id, r.level, r.tone, p.pm_member_id as member_id, m.slack_user_id
            from reminders r
            join invoices i on i.id = r.invoice_id
            join projects p on p.id = i.project_id
            join members m on m.id = p.pm_member_id
           where r.workspace_id = ${workspaceId} and r.due_on = ${sendOn}::date
             and r.status = 'scheduled' and not r.heads_up_claimed
        ), marked as (
          update reminders set heads_up_claimed = true where id in (select id from due)
        )
        insert into deliveries (workspace_id, kind, dedupe_key, invoice_id, payload)
        select ${workspaceId}, 'slack_dm',
               'reminder-heads-up:' || member_id || ':' || ${today}::text || ':' || md5(string_agg(id::text, ',' order by id)),
               case when count(*) = 1 then (array_agg(invoice_id))[1] end,
               jsonb_build_object('type', 'reminder_heads_up', 'channel', coalesce(slack_user_id, ''),
                 'memberId', member_id, 'sendOn', ${sendOn}::text,
                 'reminders', jsonb_agg(jsonb_build_object('invoiceId', invoice_id, 'level', level, 'tone', tone)
                                        order by invoice_id))
          from due
         group by member_id, slack_user_id
        on conflict (workspace_id, dedupe_key) do nothing
        returning id`,
  );
  return rows.map((r) => String(r.id));
}

/** The reminders of a page of invoices, by `<invoice id>:<level>`: the reminder run reads them once a page. */
export async function listRemindersOf(db: Db, invoiceIds: string[]): Promise<Map<string, ReminderRow>> {
  if (invoiceIds.length === 0) return new Map();
  const rows = await db.select().from(reminders).where(inArray(reminders.invoiceId, invoiceIds));
  return new Map(rows.map((row) => [`${row.invoiceId}:${row.level}`, row]));
}

/** Clears the promise to pay of `promisedOn` once it is broken (null when another run already did). */
export function clearBrokenPromise(
  db: Db,
  workspaceId: string,
  invoiceId: string,
  promisedOn: string | null,
): Promise<CollectionRow | null> {
  return updateCollection(
    db,
    workspaceId,
    invoiceId,
    { promisedOn: null },
    sql`promised_on = ${promisedOn}::date`,
  );
}

/** Moves an invoice to dunning `level`, only from the level before it (null when it is not there). */
export function advanceCollectionLevel(
  db: Db,
  workspaceId: string,
  invoiceId: string,
  level: number,
  today: string,
): Promise<CollectionRow | null> {
  return updateCollection(
    db,
    workspaceId,
    invoiceId,
    { level, lastReminderOn: today },
    sql`level = ${level - 1}`,
  );
}

/** A reminder the run schedules for tomorrow (the PM hears of it today). */
export type NewReminder = Omit<typeof reminders.$inferInsert, "status">;

/**
 * Claims a page's reminders for tomorrow in one statement (with their collection rows): a reminder
 * (invoice, level) already claimed is skipped. Answers how many this call claimed.
 */
export async function scheduleReminders(db: Db, workspaceId: string, values: NewReminder[]): Promise<number> {
  if (values.length === 0) return 0;
  await db
    .insert(invoiceCollections)
    .values(values.map((v) => ({ workspaceId, invoiceId: v.invoiceId })))
    .onConflictDoNothing({ target: invoiceCollections.invoiceId });
  const rows = await db
    .insert(reminders)
    .values(values.map((v) => ({ ...v, status: "scheduled" as const })))
    .onConflictDoNothing({ target: [reminders.invoiceId, reminders.level] })
    .returning({ id: reminders.id });
  return rows.length;
}

/** A day's run whose last page is older than this died mid-run: the next tick finishes it. */
const RUN_LEASE_SECONDS = 600;

/**
 * The day's run of `job` (the scan, the reminders): claimed, or taken over from a run that died, or
 * "manual" when not claimed; null when another instance runs it (or ran it) today.
 */
export async function startDailyRun(
  db: Db,
  workspaceId: string,
  job: string,
  runDate: string,
  claim: boolean,
): Promise<string | null> {
  if (!claim) return "manual";
  return (
    (await claimScheduledRun(db, workspaceId, job, runDate)) ??
    (await takeOverStaleRun(db, workspaceId, job, runDate, RUN_LEASE_SECONDS))
  );
}

/** The workspace a daily run acts in; a clear error when Cobro has none by that id. */
export async function findRunWorkspace(db: Db, workspaceId: string): Promise<WorkspaceRow> {
  const workspace = await findWorkspaceById(db, workspaceId);
  if (!workspace) {
    throw new DomainError("workspace.not_found", `workspace ${workspaceId} not found`, {
      userMessage: "This workspace is not set up in Cobro.",
    });
  }
  return workspace;
}
