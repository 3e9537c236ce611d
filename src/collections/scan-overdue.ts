// The daily overdue scan: invoices past due become overdue once, and each person and channel who
// must act gets one digest per run listing its invoices (never one message per invoice).
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { claimDeliveries, type DeliveryClaim } from "../delivery/index.ts";
import { isCalendarDate } from "../domain/calendar.ts";
import { DomainError } from "../domain/errors.ts";
import { localToday } from "../domain/overdue.ts";
import { claimScheduledRun, findWorkspaceById, finishScheduledRun } from "../workspace/index.ts";
import {
  type DigestRecipient,
  type DigestRole,
  OVERDUE_DIGEST_PAYLOAD,
  type OverdueDigestPayload,
} from "./collection-payloads.ts";
import { claimOverdueNotes, markOverdue, type OverdueRow } from "./repo.ts";

export const OVERDUE_SCAN_JOB = "overdue-scan";

export const ScanOverdueInput = z.object({
  workspaceId: z.uuid(),
  /** Workspace-local date to scan as; defaults to today in the workspace's time zone. */
  asOf: z.string().refine(isCalendarDate, "expected a date YYYY-MM-DD").optional(),
  /** Scheduled runs claim (workspace, job, date) so any number of instances produce one scan. */
  claimRun: z.boolean().default(false),
  dryRun: z.boolean().default(false),
});
export type ScanOverdueInput = z.input<typeof ScanOverdueInput>;

export type ScanOverdueResult = {
  runDate: string;
  /** false when another instance (or an earlier run) already claimed this day's scan. */
  ran: boolean;
  dryRun: boolean;
  overdue: number;
  digests: { recipient: string; roles: DigestRole[]; invoices: number }[];
  deliveriesClaimed: number;
  /** Invoice-thread notes claimed, and those folded into the digests (nobody follows the thread). */
  threadNotes: number;
  notesFolded: number;
};

/** Groups the newly overdue invoices by who must hear about them: one entry per person or channel. */
export function groupDigests(
  rows: OverdueRow[],
  collectionsChannelId: string | null,
): { key: string; recipient: DigestRecipient; invoiceIds: string[] }[] {
  const groups = new Map<string, { recipient: DigestRecipient; invoiceIds: Set<string> }>();
  const add = (key: string, make: () => DigestRecipient, role: DigestRole, invoiceId: string) => {
    let group = groups.get(key);
    if (!group) {
      group = { recipient: make(), invoiceIds: new Set() };
      groups.set(key, group);
    }
    if (!group.recipient.roles.includes(role)) group.recipient.roles.push(role);
    group.invoiceIds.add(invoiceId);
  };
  for (const row of rows) {
    // A person who is both collector and PM, or a project channel that is the collections channel,
    // gets one digest, not two.
    if (row.collectorMemberId) {
      const { collectorMemberId: memberId, collectorSlackUserId: slackUserId } = row;
      add(
        `member:${memberId}`,
        () => ({ kind: "dm", memberId, slackUserId, roles: [] }),
        "collector",
        row.invoiceId,
      );
    }
    if (row.pmMemberId) {
      const { pmMemberId: memberId, pmSlackUserId: slackUserId } = row;
      add(
        `member:${memberId}`,
        () => ({ kind: "dm", memberId, slackUserId, roles: [] }),
        "pm",
        row.invoiceId,
      );
    }
    if (collectionsChannelId) {
      add(
        `channel:${collectionsChannelId}`,
        () => ({ kind: "channel", channelId: collectionsChannelId, roles: [] }),
        "collections",
        row.invoiceId,
      );
    }
    if (row.projectChannelId) {
      const channelId = row.projectChannelId;
      add(
        `channel:${channelId}`,
        () => ({ kind: "channel", channelId, roles: [] }),
        "project",
        row.invoiceId,
      );
    }
  }
  return [...groups.entries()].map(([key, group]) => ({
    key,
    recipient: group.recipient,
    invoiceIds: [...group.invoiceIds],
  }));
}

const CLAIM_BATCH = 5000;

class DryRunRollback extends Error {}

export async function scanOverdue(deps: ServiceDeps, rawInput: ScanOverdueInput): Promise<ScanOverdueResult> {
  const input = ScanOverdueInput.parse(rawInput);
  const workspace = await findWorkspaceById(deps.db, input.workspaceId);
  if (!workspace) {
    throw new DomainError("workspace.not_found", `workspace ${input.workspaceId} not found`, {
      userMessage: "This workspace is not set up in Cobro.",
    });
  }
  const now = deps.now();
  const runDate = input.asOf ?? localToday(now, workspace.timeZone);
  let result: ScanOverdueResult = {
    runDate,
    ran: false,
    dryRun: input.dryRun,
    overdue: 0,
    digests: [],
    deliveriesClaimed: 0,
    threadNotes: 0,
    notesFolded: 0,
  };
  const claimed: string[] = [];
  try {
    await deps.db.transaction(async (tx) => {
      const runId =
        input.claimRun && !input.dryRun
          ? await claimScheduledRun(tx, workspace.id, OVERDUE_SCAN_JOB, runDate)
          : "manual";
      if (!runId) return;
      const rows = await markOverdue(tx, workspace.id, runDate, now);
      const digests = groupDigests(rows, workspace.collectionsChannelId);
      const claims: DeliveryClaim[] = digests.map((digest) => ({
        workspaceId: workspace.id,
        kind: digest.recipient.kind === "dm" ? "slack_dm" : "slack_message",
        dedupeKey: `overdue-digest:${runDate}:${digest.key}`,
        payload: {
          type: OVERDUE_DIGEST_PAYLOAD,
          runDate,
          channel:
            digest.recipient.kind === "dm"
              ? (digest.recipient.slackUserId ?? "")
              : digest.recipient.channelId,
          recipient: digest.recipient,
          invoiceIds: digest.invoiceIds,
        } satisfies OverdueDigestPayload,
      }));
      for (let i = 0; i < claims.length; i += CLAIM_BATCH) {
        claimed.push(...(await claimDeliveries(tx, claims.slice(i, i + CLAIM_BATCH))));
      }
      // The thread notes of notifyInvoiceEvent('overdue'), claimed in one statement: thousands of
      // invoices can go overdue at once (same key and payload, so a later notify is a no-op). An
      // invoice a digest lists is folded into it: its thread hears only where someone follows it,
      // so 10,000 invoices going overdue never queue 10,000 posts in the billing channel.
      const listed = new Set(digests.flatMap((digest) => digest.invoiceIds));
      const ids = rows.map((row) => row.invoiceId);
      const unlisted = ids.filter((id) => !listed.has(id));
      const inDigests = ids.filter((id) => listed.has(id));
      const notes = [
        ...(await claimOverdueNotes(tx, workspace.id, unlisted, { onlyFollowed: false })),
        ...(await claimOverdueNotes(tx, workspace.id, inDigests, { onlyFollowed: true })),
      ];
      claimed.push(...notes);
      result = {
        ...result,
        ran: true,
        overdue: rows.length,
        digests: digests.map((d) => ({
          recipient: d.key,
          roles: d.recipient.roles,
          invoices: d.invoiceIds.length,
        })),
        deliveriesClaimed: claimed.length,
        threadNotes: notes.length,
        notesFolded: ids.length - notes.length,
      };
      if (runId !== "manual") {
        await finishScheduledRun(tx, runId, { overdue: rows.length, deliveries: claimed.length });
      }
      if (input.dryRun) throw new DryRunRollback();
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
    return result;
  }
  if (claimed.length > 0) await deps.enqueue(claimed);
  if (result.ran) {
    deps.logger.info(
      { workspaceId: workspace.id, runDate, overdue: result.overdue, deliveries: claimed.length },
      "overdue scan",
    );
  }
  return result;
}
