// The daily overdue scan: invoices past due become overdue once, and each person and channel who
// must act gets one digest per run listing its invoices (never one message per invoice), whatever
// the number of invoices: they are read and claimed a page at a time.
import type { Ctx } from "../context.ts";
import type { Db } from "../db/client.ts";
import { commitIf } from "../db/commit-if.ts";
import { DailyRunInput, type DailyRunOutcome } from "../domain/daily-run.ts";
import { localToday } from "../domain/overdue.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { finishScheduledRun, renewScheduledRun } from "../workspace/index.ts";
import type { DigestRole } from "./collection-payloads.ts";
import {
  addDigestLines,
  claimOverdueDigests,
  claimOverdueNotes,
  type DigestLine,
  findRunWorkspace,
  listOverdueCandidates,
  markOverdue,
  type OverdueRow,
  startDailyRun,
} from "./overdue-repo.ts";

export const OVERDUE_SCAN_JOB = "overdue-scan";

export type ScanOverdueResult = DailyRunOutcome & {
  overdue: number;
  digests: { recipient: string; roles: DigestRole[]; invoices: number }[];
  deliveriesClaimed: number;
  /** Invoice-thread notes claimed, and those folded into the digests (nobody follows the thread). */
  threadNotes: number;
  notesFolded: number;
};

/** The digest lines of a page's newly overdue invoices: who must hear of each, and as what. */
function digestLinesOf(rows: OverdueRow[], collectionsChannelId: string | null): DigestLine[] {
  const lines: DigestLine[] = [];
  for (const { invoiceId, ...row } of rows) {
    // A person who is both collector and PM, or a project channel that is the collections channel,
    // gets one digest (one recipient key), not two.
    const person = (memberId: string, slackId: string | null, role: DigestRole) =>
      lines.push({ recipientKey: `member:${memberId}`, memberId, slackId, role, invoiceId });
    const channel = (channelId: string, role: DigestRole) =>
      lines.push({
        recipientKey: `channel:${channelId}`,
        memberId: null,
        slackId: channelId,
        role,
        invoiceId,
      });
    if (row.collectorMemberId) person(row.collectorMemberId, row.collectorSlackUserId, "collector");
    if (row.pmMemberId) person(row.pmMemberId, row.pmSlackUserId, "pm");
    if (collectionsChannelId) channel(collectionsChannelId, "collections");
    if (row.projectChannelId) channel(row.projectChannelId, "project");
  }
  return lines;
}

/**
 * Moves the invoices overdue a page at a time (keyset by id), each page committed with its digest
 * lines and thread notes before the next is read; then claims the digests from the lines. A scan
 * that dies mid-way is finished by the next (its invoices are already overdue, its lines kept).
 */
export async function scanOverdue(ctx: Ctx, rawInput: DailyRunInput): Promise<ScanOverdueResult> {
  assertAllowed(ctx.actor, { action: "collect" });
  const input = DailyRunInput.parse(rawInput);
  const workspace = await findRunWorkspace(ctx.db, ctx.workspaceId);
  const now = ctx.now();
  const runDate = input.asOf ?? localToday(now, workspace.timeZone);
  const result: ScanOverdueResult = {
    runDate,
    ran: false,
    dryRun: input.dryRun,
    overdue: 0,
    digests: [],
    deliveriesClaimed: 0,
    threadNotes: 0,
    notesFolded: 0,
  };
  // A dry run does it all in one transaction, rolled back at the end.
  const scan = async (db: Db) => {
    const runId = await startDailyRun(
      db,
      workspace.id,
      OVERDUE_SCAN_JOB,
      runDate,
      input.claimRun && !input.dryRun,
    );
    if (!runId) return;
    result.ran = true;
    let after: string | null = null;
    do {
      const cursor: string | null = after;
      const notes = await db.transaction(async (tx) => {
        if (runId !== "manual") await renewScheduledRun(tx, runId);
        const ids = await listOverdueCandidates(tx, workspace.id, runDate, {
          after: cursor,
          limit: input.pageSize,
        });
        after = ids.length === input.pageSize ? (ids.at(-1) ?? null) : null;
        const rows = await markOverdue(tx, workspace.id, ids, runDate, now);
        const lines = digestLinesOf(rows, workspace.collectionsChannelId);
        await addDigestLines(tx, workspace.id, runDate, lines);
        // The thread notes of notifyInvoiceEvent('overdue'), claimed in one statement: thousands of
        // invoices can go overdue at once (same key and payload, so a later notify is a no-op). An
        // invoice a digest lists is folded into it: its thread hears only where someone follows it,
        // so 10,000 invoices going overdue never queue 10,000 posts in the billing channel.
        const listed = new Set(lines.map((line) => line.invoiceId));
        const unlisted = rows.map((row) => row.invoiceId).filter((id) => !listed.has(id));
        const claimed = [
          ...(await claimOverdueNotes(tx, workspace.id, unlisted, { onlyFollowed: false })),
          ...(await claimOverdueNotes(tx, workspace.id, [...listed], { onlyFollowed: true })),
        ];
        result.overdue += rows.length;
        result.threadNotes += claimed.length;
        result.notesFolded += rows.length - claimed.length;
        return claimed;
      });
      result.deliveriesClaimed += notes.length;
      if (!input.dryRun && notes.length > 0) await ctx.enqueue(notes);
    } while (after);
    const digests = await db.transaction(async (tx) => {
      const claimed = await claimOverdueDigests(tx, workspace.id, runDate);
      if (runId !== "manual") {
        await finishScheduledRun(tx, runId, {
          overdue: result.overdue,
          deliveries: result.deliveriesClaimed + claimed.length,
        });
      }
      return claimed;
    });
    result.digests = digests.map((d) => ({
      recipient: d.recipientKey,
      roles: d.roles,
      invoices: d.invoices,
    }));
    result.deliveriesClaimed += digests.length;
    if (!input.dryRun && digests.length > 0) await ctx.enqueue(digests.map((d) => d.id));
  };
  if (input.dryRun) {
    await commitIf(ctx.db, async (tx) => {
      await scan(tx);
      return false;
    });
    return result;
  }
  await scan(ctx.db);
  if (result.ran) {
    ctx.logger.info(
      { workspaceId: workspace.id, runDate, overdue: result.overdue, deliveries: result.deliveriesClaimed },
      "overdue scan",
    );
  }
  return result;
}
