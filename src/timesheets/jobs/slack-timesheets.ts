// Delivery handlers of timesheets: approval request and reminder DMs to the approver, the decision
// DM to the person, and the billing cycle digest in the billing channel.

import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { contextFor, type ServiceDeps } from "../../context.ts";
import type { Db } from "../../db/client.ts";
import { clients, invoices, projects, timeEntries, workspaces } from "../../db/schema/index.ts";
import {
  type DeliveryHandler,
  type DeliveryRow,
  dmChannelOf,
  readPayload,
  type SlackSender,
} from "../../delivery/index.ts";
import { DomainError } from "../../domain/errors.ts";
import { systemActor } from "../../domain/permissions.ts";
import { memberLocale } from "../../workspace/index.ts";
import { loadTimesheetSummary } from "../load-timesheet-summary.ts";
import {
  buildApprovalRequest,
  buildBillingDigest,
  buildDecisionMessage,
  type DigestDraft,
  readerOf,
} from "../slack/timesheet-messages.ts";
import { TIMESHEET_PAYLOADS } from "../timesheet-payloads.ts";

/** The member's Slack id, found by e-mail for an imported person (billing is told when Slack has none). */
async function slackUserOf(
  sender: SlackSender,
  db: Db,
  delivery: DeliveryRow,
  memberId: string | null | undefined,
  what: string,
): Promise<string> {
  if (typeof memberId !== "string") {
    throw new DomainError("timesheet.no_recipient", "recipient has no Slack user", {
      userMessage: "Nobody to send this to in Slack: set the project's approver (or PM) to a Slack member.",
    });
  }
  return dmChannelOf(sender, db, delivery, { memberId, invoiceIds: [], what });
}

const RequestPayload = z.object({
  timesheetId: z.string(),
  version: z.number(),
  approverMemberId: z.string().nullable().optional(),
});
const DecisionPayload = z.object({
  timesheetId: z.string(),
  decision: z.enum(["approved", "rejected"]),
  reason: z.string().nullable().optional(),
  personMemberId: z.string().nullable().optional(),
});
const BillingDigestPayload = z.object({
  asOf: z.string(),
  cutoff: z.string(),
  invoiceIds: z.array(z.string()),
});

export function timesheetSlackHandlers(
  sender: SlackSender,
  deps: ServiceDeps,
): Record<string, DeliveryHandler> {
  const { db } = deps;
  const summaryOf = (delivery: DeliveryRow, timesheetId: string) =>
    loadTimesheetSummary(contextFor(deps, delivery.workspaceId, systemActor("delivery")), { timesheetId });
  const request =
    (reminder: boolean): DeliveryHandler =>
    async (delivery: DeliveryRow) => {
      const payload = readPayload(delivery, RequestPayload);
      const summary = await summaryOf(delivery, payload.timesheetId);
      // Decided (or resubmitted) since the claim: a stale request or reminder is not worth a DM.
      if (summary.status !== "submitted" || summary.version !== payload.version)
        return { skipped: summary.status };
      const channel = await slackUserOf(
        sender,
        db,
        delivery,
        payload.approverMemberId,
        "a timesheet approval request",
      );
      // A DM read by the approver: in their language.
      const locale = await memberLocale(db, delivery.workspaceId, payload.approverMemberId ?? null);
      const message = buildApprovalRequest(summary, locale, reminder);
      const posted = await sender.postMessage(delivery.workspaceId, {
        channel,
        text: message.text,
        blocks: message.blocks,
      });
      return { channel, ts: posted.ts };
    };
  return {
    [TIMESHEET_PAYLOADS.approvalRequest]: request(false),
    [TIMESHEET_PAYLOADS.approvalReminder]: request(true),
    [TIMESHEET_PAYLOADS.decision]: async (delivery) => {
      const payload = readPayload(delivery, DecisionPayload);
      const summary = await summaryOf(delivery, payload.timesheetId);
      const channel = await slackUserOf(sender, db, delivery, payload.personMemberId, "a timesheet decision");
      // The DM states the decision the claim was made for, even if the sheet moved on since; in the
      // language of the person whose time it is.
      const locale = await memberLocale(db, delivery.workspaceId, payload.personMemberId ?? null);
      const decided = {
        ...summary,
        status: payload.decision,
        rejectionReason: payload.reason ?? summary.rejectionReason,
      };
      const message = buildDecisionMessage(decided, locale);
      const posted = await sender.postMessage(delivery.workspaceId, {
        channel,
        text: message.text,
        blocks: message.blocks,
      });
      return { channel, ts: posted.ts };
    },
    [TIMESHEET_PAYLOADS.billingDigest]: async (delivery) => {
      const payload = readPayload(delivery, BillingDigestPayload);
      const ids = payload.invoiceIds;
      const [workspace] = await db.select().from(workspaces).where(eq(workspaces.id, delivery.workspaceId));
      if (!workspace?.billingChannelId) {
        throw new DomainError("billing.no_channel", "no billing channel", {
          userMessage: "No billing channel is set: choose one with /cobro setup.",
        });
      }
      const rows = await db
        .select({
          invoiceId: invoices.id,
          projectCode: projects.code,
          clientName: clients.name,
          totalMinor: invoices.totalMinor,
          currency: invoices.currency,
          minutes: sql<number>`(select coalesce(sum(${timeEntries.minutes}), 0)::int from ${timeEntries} where ${timeEntries.invoiceId} = ${invoices.id})`,
        })
        .from(invoices)
        .innerJoin(clients, eq(clients.id, invoices.clientId))
        .innerJoin(projects, eq(projects.id, invoices.projectId))
        .where(
          and(
            eq(invoices.workspaceId, delivery.workspaceId),
            inArray(invoices.id, ids),
            eq(invoices.status, "draft"),
          ),
        )
        .orderBy(projects.code);
      if (rows.length === 0) return { skipped: "no drafts left" };
      const drafts: DigestDraft[] = rows.map((r) => ({ ...r, minutes: Number(r.minutes) }));
      const message = buildBillingDigest({
        asOf: payload.asOf,
        cutoff: payload.cutoff,
        drafts,
        locale: readerOf(workspace.locale),
      });
      const posted = await sender.postMessage(delivery.workspaceId, {
        channel: workspace.billingChannelId,
        text: message.text,
        blocks: message.blocks,
      });
      return { channel: workspace.billingChannelId, ts: posted.ts };
    },
  };
}
