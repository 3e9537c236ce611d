// The delivery capability's SQL: claims and their lease, the provider calls written down before
// they go out (delivery_sends), Slack post records, channel pacing, and what a delivery reads.
import { and, eq, getTableColumns, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { PgUpdateSetSource } from "drizzle-orm/pg-core";
import { recordAudit } from "../db/audit.ts";
import { type Db, queryRows } from "../db/client.ts";
import {
  deliveries,
  deliverySends,
  invoices,
  members,
  slackChannelPacing,
  slackMessages,
  workspaces,
} from "../db/schema/index.ts";
import type { WriteAhead } from "./send-once.ts";

export type DeliveryKind = (typeof deliveries.$inferInsert)["kind"];
export type DeliveryRow = typeof deliveries.$inferSelect;

// Claims a side effect (e-mail, Slack post) before it happens: the unique key decides who acts.
export type DeliveryClaim = {
  workspaceId: string;
  kind: DeliveryKind;
  /** What makes this effect unique, e.g. `invoice-email:<invoiceId>:<sendRequestId>`. */
  dedupeKey: string;
  invoiceId?: string | null;
  payload: Record<string, unknown>;
};

/** Inserts the claim rows; returns the ids of the rows this call inserted (the others existed). */
export async function claimDeliveries(db: Db, claims: DeliveryClaim[]): Promise<string[]> {
  return [...(await claimDeliveriesReturningKeys(db, claims)).values()];
}

/** Like claimDeliveries, answering which dedupe keys this call inserted, with their row ids. */
export async function claimDeliveriesReturningKeys(
  db: Db,
  claims: DeliveryClaim[],
): Promise<Map<string, string>> {
  if (claims.length === 0) return new Map();
  const rows = await db
    .insert(deliveries)
    .values(claims.map((c) => ({ ...c, invoiceId: c.invoiceId ?? null })))
    .onConflictDoNothing({ target: [deliveries.workspaceId, deliveries.dedupeKey] })
    .returning({ id: deliveries.id, dedupeKey: deliveries.dedupeKey });
  return new Map(rows.map((row) => [row.dedupeKey, row.id]));
}

export async function claimDelivery(db: Db, claim: DeliveryClaim): Promise<string | null> {
  const [id] = await claimDeliveries(db, [claim]);
  return id ?? null;
}

/**
 * Pending deliveries to queue (again): never queued by their claimer (a CLI run, another process)
 * for `unqueuedSeconds`, or due for `stalledSeconds` with nobody working on them (a lost job).
 */
export async function findStalledDeliveries(
  db: Db,
  options: { unqueuedSeconds: number; stalledSeconds: number },
  limit = 500,
): Promise<string[]> {
  const rows = await db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      sql`${deliveries.status} = 'pending'
        and (${deliveries.lockedUntil} is null or ${deliveries.lockedUntil} < now())
        and (
          (${deliveries.nextRunAt} is null
            and ${deliveries.createdAt} < now() - make_interval(secs => ${options.unqueuedSeconds}))
          or ${deliveries.nextRunAt} < now() - make_interval(secs => ${options.stalledSeconds})
        )`,
    )
    .limit(limit);
  return rows.map((row) => row.id);
}

/** Leases the row, and says whether an earlier attempt wrote down provider calls (to look up). */
export async function leaseDelivery(
  db: Db,
  id: string,
  leaseSeconds: number,
): Promise<(DeliveryRow & { earlierSends: boolean }) | undefined> {
  const [row] = await db
    .update(deliveries)
    .set({
      attempts: sql`${deliveries.attempts} + 1`,
      lockedUntil: sql`now() + make_interval(secs => ${leaseSeconds})`,
    })
    .where(
      and(
        eq(deliveries.id, id),
        eq(deliveries.status, "pending"),
        sql`(${deliveries.lockedUntil} is null or ${deliveries.lockedUntil} < now())`,
      ),
    )
    .returning({
      ...getTableColumns(deliveries),
      // Spelled out: drizzle leaves columns unqualified in RETURNING, where "id" would be the sends'.
      earlierSends: sql<boolean>`exists (select 1 from delivery_sends s where s.delivery_id = "deliveries"."id")`,
    });
  return row;
}

/** How an attempt ends; `retryInSeconds` sets when it runs again, `notAnAttempt` gives the attempt back. */
export type AttemptEnd = {
  status?: "sent" | "failed" | "unknown";
  sentAt?: Date;
  result?: Record<string, unknown> | null;
  lastError?: string | null;
  retryInSeconds?: number;
  notAnAttempt?: boolean;
};

/**
 * The answers of this attempt's calls as one statement's CTE (`with … as (update delivery_sends …)`),
 * to prefix the statement that ends the attempt; empty when there are none.
 */
function answersWritten(deliveryId: string, answers: Map<string, Record<string, unknown>> | undefined): SQL {
  if (!answers || answers.size === 0) return sql``;
  const rows = [...answers.entries()].map(
    ([key, result]) => sql`(${key}::text, ${JSON.stringify(result)}::jsonb)`,
  );
  return sql`with answered as (update ${deliverySends} set result = a.result from (values ${sql.join(rows, sql`, `)}) as a(send_key, result) where ${deliverySends.deliveryId} = ${deliveryId} and ${deliverySends.sendKey} = a.send_key) `;
}

/** Ends the attempt in one statement: the answers of its provider calls and the delivery's outcome. */
export async function endAttempt(
  db: Db,
  id: string,
  answers: Map<string, Record<string, unknown>> | undefined,
  end: AttemptEnd,
): Promise<void> {
  const { retryInSeconds, notAnAttempt, ...values } = end;
  const set: PgUpdateSetSource<typeof deliveries> = {
    lockedUntil: null,
    ...values,
    ...(retryInSeconds === undefined
      ? {}
      : { nextRunAt: sql`now() + make_interval(secs => ${retryInSeconds})` }),
    ...(notAnAttempt ? { attempts: sql`${deliveries.attempts} - 1` } : {}),
  };
  await db.execute(
    sql`${answersWritten(id, answers)}${db.update(deliveries).set(set).where(eq(deliveries.id, id)).getSQL()}`,
  );
}

/** Puts an unknown delivery back to pending with nothing written down: it simply goes again. */
export async function restartDelivery(db: Db, id: string): Promise<void> {
  await db.delete(deliverySends).where(eq(deliverySends.deliveryId, id));
  await db.update(deliveries).set({ status: "pending" }).where(eq(deliveries.id, id));
}

/** Marks deliveries due now, answering each one's kind (for its queue). */
export async function markDeliveriesDue(db: Db, ids: string[]) {
  return db
    .update(deliveries)
    .set({ nextRunAt: sql`now()` })
    .where(inArray(deliveries.id, ids))
    .returning({ id: deliveries.id, kind: deliveries.kind });
}

export async function findDelivery(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<DeliveryRow | undefined> {
  const [row] = await db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.id, id), eq(deliveries.workspaceId, workspaceId)));
  return row;
}

/**
 * The first answer to "did this arrive?" for an unknown delivery: pending again, its open calls
 * forgotten (send again) or confirmed; false when it was no longer unknown (answered already).
 */
export async function answerUnknown(
  db: Db,
  input: { workspaceId: string; deliveryId: string; confirmation: Record<string, unknown> | null },
): Promise<boolean> {
  const { workspaceId, deliveryId, confirmation } = input;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(deliveries)
      .set({ status: "pending", lockedUntil: null, lastError: null })
      .where(
        and(
          eq(deliveries.id, deliveryId),
          eq(deliveries.workspaceId, workspaceId),
          eq(deliveries.status, "unknown"),
        ),
      )
      .returning({ id: deliveries.id });
    if (!row) return false;
    const open = and(eq(deliverySends.deliveryId, deliveryId), isNull(deliverySends.result));
    if (!confirmation) {
      await tx.delete(deliverySends).where(open);
    } else {
      await tx.update(deliverySends).set({ result: confirmation }).where(open);
    }
    return true;
  });
}

export async function countBacklog(db: Db, workspaceId: string | undefined) {
  const scope = workspaceId ? sql`and workspace_id = ${workspaceId}` : sql``;
  const [counts] = await queryRows<{ waiting: number; oldest: string | null; unknown: number }>(
    db,
    sql`select count(*) filter (where status = 'pending')::int as waiting,
               min(created_at) filter (where status = 'pending') as oldest,
               count(*) filter (where status = 'unknown')::int as unknown
          from deliveries
         where status in ('pending', 'unknown') ${scope}`,
  );
  return counts;
}

export async function recentFailures(
  db: Db,
  input: { workspaceId: string | undefined; days: number; limit: number },
) {
  const scope = input.workspaceId ? sql`and workspace_id = ${input.workspaceId}` : sql``;
  return queryRows<{ reason: string | null; count: number; last_at: string }>(
    db,
    sql`select last_error as reason, count(*)::int as count, max(created_at) as last_at
          from deliveries
         where status = 'failed' and created_at > now() - make_interval(days => ${input.days}) ${scope}
         group by last_error
         order by count(*) desc, max(created_at) desc
         limit ${input.limit}`,
  );
}

// The provider calls of a delivery, each written down before it goes out (send-once.ts).
const sendWhere = (deliveryId: string, sendKey: string) =>
  and(eq(deliverySends.deliveryId, deliveryId), eq(deliverySends.sendKey, sendKey));

export async function findSend(db: Db, deliveryId: string, sendKey: string) {
  const [row] = await db.select().from(deliverySends).where(sendWhere(deliveryId, sendKey));
  return row;
}

export async function restartSend(db: Db, deliveryId: string, sendKey: string, startedAt: Date) {
  await db.update(deliverySends).set({ startedAt }).where(sendWhere(deliveryId, sendKey));
}

export async function writeSendAhead(db: Db, ahead: WriteAhead) {
  await db.insert(deliverySends).values(ahead).onConflictDoNothing();
}

export async function forgetSend(db: Db, deliveryId: string, sendKey: string) {
  await db.delete(deliverySends).where(sendWhere(deliveryId, sendKey));
}

// The Slack messages Cobro posted about a subject (invoice, timesheet, ...): where its thread lives.
export async function findPosts(db: Db, workspaceId: string, subjectType: string, subjectId: string) {
  return db
    .select({ channelId: slackMessages.channelId, ts: slackMessages.ts })
    .from(slackMessages)
    .where(
      and(
        eq(slackMessages.workspaceId, workspaceId),
        eq(slackMessages.subjectType, subjectType),
        eq(slackMessages.subjectId, subjectId),
      ),
    );
}

export async function recordPost(
  db: Db,
  row: { workspaceId: string; subjectType: string; subjectId: string; channelId: string; ts: string },
) {
  await db.insert(slackMessages).values(row).onConflictDoNothing();
}

export async function findSlackTeamId(db: Db, workspaceId: string): Promise<string | null> {
  const [workspace] = await db
    .select({ teamId: workspaces.slackTeamId })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return workspace?.teamId ?? null;
}

/** The workspace's billing channel (where billing is told and asked) and language. */
export async function findBillingChannel(db: Db, workspaceId: string) {
  const [workspace] = await db
    .select({ billing: workspaces.billingChannelId, locale: workspaces.locale })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId));
  return workspace;
}

/** An invoice's number and its post in `channelId`, the thread to ask about it in. */
export async function findInvoiceThread(db: Db, invoiceId: string, channelId: string) {
  const [invoice] = await db
    .select({ number: invoices.number, ts: slackMessages.ts })
    .from(invoices)
    .leftJoin(
      slackMessages,
      and(
        eq(slackMessages.workspaceId, invoices.workspaceId),
        eq(slackMessages.subjectType, "invoice"),
        eq(slackMessages.subjectId, invoices.id),
        eq(slackMessages.channelId, channelId),
      ),
    )
    .where(eq(invoices.id, invoiceId));
  return invoice;
}

export async function findInvoiceNumber(db: Db, invoiceId: string): Promise<string | null> {
  const [row] = await db.select({ number: invoices.number }).from(invoices).where(eq(invoices.id, invoiceId));
  return row?.number ?? null;
}

export async function findMember(db: Db, workspaceId: string, memberId: string) {
  const [member] = await db
    .select({ slackUserId: members.slackUserId, email: members.email, name: members.name })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.id, memberId)));
  return member;
}

/** Links a member to the Slack id found for their e-mail, once and audited, unless another has it. */
export async function linkMemberSlackUser(
  db: Db,
  input: { workspaceId: string; memberId: string; slackUserId: string },
): Promise<void> {
  const { slackUserId } = input;
  await db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.workspaceId, input.workspaceId), eq(members.slackUserId, slackUserId)));
    if (taken) return;
    const linked = await tx
      .update(members)
      .set({ slackUserId })
      .where(and(eq(members.id, input.memberId), isNull(members.slackUserId)))
      .returning({ id: members.id });
    if (linked.length === 0) return;
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: "system",
      action: "member.slack_linked",
      entity: "member",
      entityId: input.memberId,
      after: { slackUserId, reason: "looked up by e-mail to send a DM" },
    });
  });
}

/**
 * Reserves the next slot of a channel (or of a workspace-wide budget, `channelId` = a `*` key) in the
 * database, shared by all instances, and answers when it is. A cell-rate limit: slots are an
 * interval apart, handed out in the order callers ask, so callers waiting go in turn, each at its own
 * time, instead of all retrying at once; `burstMs` lets that much of the schedule be spent at once
 * (a minute's budget with burstMs = 60 s - interval).
 */
export async function reserveChannelSlot(
  db: Db,
  input: { workspaceId: string; channelId: string; now: Date; intervalMs: number; burstMs?: number },
): Promise<Date> {
  const now = input.now.toISOString();
  const [row] = await db
    .insert(slackChannelPacing)
    .values({
      workspaceId: input.workspaceId,
      channelId: input.channelId,
      nextAllowedAt: new Date(input.now.getTime() + input.intervalMs),
    })
    .onConflictDoUpdate({
      target: [slackChannelPacing.workspaceId, slackChannelPacing.channelId],
      set: {
        nextAllowedAt: sql`greatest(${slackChannelPacing.nextAllowedAt}, ${now}::timestamptz) + make_interval(secs => ${input.intervalMs / 1000})`,
      },
    })
    .returning({ next: slackChannelPacing.nextAllowedAt });
  const slot = (row?.next ?? input.now).getTime() - input.intervalMs - (input.burstMs ?? 0);
  return new Date(Math.max(input.now.getTime(), slot));
}

/**
 * A post's slots in one statement: its channel's (as reserveChannelSlot) and, when that one is due
 * within `toleranceMs`, the workspace budget's too (`workspace` null otherwise: reserved after the
 * channel's wait, so a post waiting for its channel never holds a slot of the workspace's budget).
 */
export async function reservePostSlots(
  db: Db,
  input: {
    workspaceId: string;
    channelId: string;
    now: Date;
    channel: { intervalMs: number; burstMs: number };
    workspace: { key: string; intervalMs: number; burstMs: number } | null;
    toleranceMs: number;
  },
): Promise<{ channel: number; workspace: number | null }> {
  const { workspaceId, channelId, channel, workspace } = input;
  const now = input.now.toISOString();
  const upsert = (key: string, intervalMs: number) => sql`
    on conflict (workspace_id, channel_id) do update
      set next_allowed_at = greatest(${slackChannelPacing.nextAllowedAt}, ${now}::timestamptz) + make_interval(secs => ${intervalMs / 1000})
    returning next_allowed_at, ${key}::text as key`;
  const due = sql`${now}::timestamptz + make_interval(secs => ${(channel.intervalMs + channel.burstMs + input.toleranceMs) / 1000})`;
  const rows = await queryRows<{ next_allowed_at: string | Date; key: string }>(
    db,
    workspace
      ? sql`with ch as (
          insert into ${slackChannelPacing} (workspace_id, channel_id, next_allowed_at)
          values (${workspaceId}, ${channelId}, ${now}::timestamptz + make_interval(secs => ${channel.intervalMs / 1000}))
          ${upsert("channel", channel.intervalMs)}
        ), wk as (
          insert into ${slackChannelPacing} (workspace_id, channel_id, next_allowed_at)
          select ${workspaceId}, ${workspace.key}, ${now}::timestamptz + make_interval(secs => ${workspace.intervalMs / 1000})
            from ch where ch.next_allowed_at <= ${due}
          ${upsert("workspace", workspace.intervalMs)}
        )
        select * from ch union all select * from wk`
      : sql`insert into ${slackChannelPacing} (workspace_id, channel_id, next_allowed_at)
          values (${workspaceId}, ${channelId}, ${now}::timestamptz + make_interval(secs => ${channel.intervalMs / 1000}))
          ${upsert("channel", channel.intervalMs)}`,
  );
  const slotOf = (key: string, intervalMs: number, burstMs: number) => {
    const row = rows.find((r) => r.key === key);
    if (!row) return null;
    return Math.max(input.now.getTime(), new Date(row.next_allowed_at).getTime() - intervalMs - burstMs);
  };
  return {
    channel: slotOf("channel", channel.intervalMs, channel.burstMs) ?? input.now.getTime(),
    workspace: workspace ? slotOf("workspace", workspace.intervalMs, workspace.burstMs) : null,
  };
}

/**
 * Takes the channel's turn right before a post: now, unless posts served late (slots waited for too
 * long) would then exceed the channel's rate and burst. The same cell-rate rule as the slots, kept
 * in `last_post_at` (the theoretical time the channel's burst is whole again): one statement, so
 * posts taking turns at once get distinct ones. Given `writeAhead`, the same statement writes the
 * post down (delivery_sends) when the turn is now; `written` says whether it did.
 */
export async function takeChannelTurn(
  db: Db,
  input: {
    workspaceId: string;
    channelId: string;
    now: Date;
    intervalMs: number;
    burstMs: number;
    writeAhead?: WriteAhead | undefined;
  },
): Promise<{ turn: Date; written: boolean }> {
  const now = input.now.toISOString();
  const interval = sql`make_interval(secs => ${input.intervalMs / 1000})`;
  const ahead = input.writeAhead;
  const [row] = await queryRows<{ at: string | Date | null; written: number }>(
    db,
    sql`with turn as (
        update ${slackChannelPacing}
           set last_post_at = greatest(${slackChannelPacing.lastPostAt}, ${now}::timestamptz) + ${interval}
         where ${slackChannelPacing.workspaceId} = ${input.workspaceId} and ${slackChannelPacing.channelId} = ${input.channelId}
        returning last_post_at
      )${
        ahead
          ? sql`, written as (
        insert into ${deliverySends} (workspace_id, delivery_id, send_key)
        select ${ahead.workspaceId}, ${ahead.deliveryId}, ${ahead.sendKey}
         where coalesce((select last_post_at from turn), ${now}::timestamptz + ${interval})
               <= ${now}::timestamptz + make_interval(secs => ${(input.intervalMs + input.burstMs) / 1000})
        on conflict do nothing
        returning 1
      )
      select (select last_post_at from turn) as at, (select count(*) from written)::int as written`
          : sql`
      select (select last_post_at from turn) as at, 0 as written`
      }`,
  );
  const at = row?.at ? new Date(row.at).getTime() : input.now.getTime() + input.intervalMs;
  const turn = at - input.intervalMs - input.burstMs;
  return { turn: new Date(Math.max(input.now.getTime(), turn)), written: Number(row?.written ?? 0) > 0 };
}
