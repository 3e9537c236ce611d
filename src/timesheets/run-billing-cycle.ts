// The billing cycle: approved, unbilled time becomes one time-and-materials draft per project, and
// the drafts go to the billing channel as one digest. Each entry is billed exactly once: its rows are
// locked (SKIP LOCKED) and claimed (`invoice_id IS NULL`) in the transaction that creates the draft.
import { createHash } from "node:crypto";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { claimDelivery } from "../delivery/index.ts";
import { addDays, isCalendarDate } from "../domain/calendar.ts";
import { DomainError } from "../domain/errors.ts";
import { localToday } from "../domain/overdue.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { type BillableEntry, buildTimeLines, type TimeLineGrouping } from "../domain/timesheet-billing.ts";
import { billingSliceOf, previousMonth, weekSlice, weekStart } from "../domain/timesheet-period.ts";
import { createInvoiceDraft } from "../invoicing/index.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import { listBillableProjects, lockBillableEntries, markEntriesBilled } from "./repo.ts";
import { TIMESHEET_PAYLOADS } from "./timesheet-payloads.ts";

/** Weekly cadence bills one of this many client slices a week: each client about once a month. */
export const WEEKLY_SLICES = 4;

export type BilledDraft = {
  invoiceId: string;
  projectId: string;
  projectCode: string;
  clientName: string;
  currency: string;
  entries: number;
  minutes: number;
  subtotalMinor: number;
  totalMinor: number;
};

export type BillingCycleResult = {
  asOf: string;
  cadence: "monthly" | "weekly";
  /** Entries on or before this date were eligible. */
  cutoff: string;
  drafts: BilledDraft[];
  entriesBilled: number;
  digestDeliveryId: string | null;
};

export async function runBillingCycle(
  ctx: Ctx,
  input: { asOf?: string; groupBy?: TimeLineGrouping },
): Promise<BillingCycleResult> {
  assertAllowed(ctx.actor, { action: "editInvoice" });
  const workspace = await findWorkspaceById(ctx.db, ctx.workspaceId);
  if (!workspace) throw new DomainError("workspace.not_found", "workspace not found");
  const asOf = input.asOf ?? localToday(ctx.now(), workspace.timeZone);
  if (!isCalendarDate(asOf)) {
    throw new DomainError("billing.as_of", `bad date ${asOf}`, {
      userMessage: `"${asOf}" is not a date: write it like 2026-12-01.`,
    });
  }
  const cadence = workspace.settings.billingCadence ?? "monthly";
  // Monthly bills the previous complete month; weekly the previous complete week.
  const cutoff = cadence === "monthly" ? previousMonth(asOf).end : addDays(weekStart(asOf), -1);

  const projectRows = await listBillableProjects(ctx.db, ctx.workspaceId, cutoff);
  const slice = weekSlice(asOf, WEEKLY_SLICES);
  const due =
    cadence === "weekly"
      ? projectRows.filter((p) => billingSliceOf(p.client_id, WEEKLY_SLICES) === slice)
      : projectRows;

  const drafts: BilledDraft[] = [];
  for (const project of due) {
    const draft = await billProject(ctx, input, project, cutoff);
    if (draft) drafts.push(draft);
  }

  let digestDeliveryId: string | null = null;
  if (drafts.length > 0) {
    const ids = drafts.map((d) => d.invoiceId).sort();
    const runKey = createHash("sha256").update(ids.join(",")).digest("hex").slice(0, 24);
    digestDeliveryId = await claimDelivery(ctx.db, {
      workspaceId: ctx.workspaceId,
      kind: "slack_message",
      dedupeKey: `billing-digest:${asOf}:${runKey}`,
      payload: { type: TIMESHEET_PAYLOADS.billingDigest, asOf, cutoff, invoiceIds: ids },
    });
    if (digestDeliveryId) await ctx.enqueue([digestDeliveryId]);
  }
  return {
    asOf,
    cadence,
    cutoff,
    drafts,
    entriesBilled: drafts.reduce((sum, d) => sum + d.entries, 0),
    digestDeliveryId,
  };
}

async function billProject(
  ctx: Ctx,
  input: { groupBy?: TimeLineGrouping },
  project: { project_id: string; code: string; client_name: string },
  cutoff: string,
): Promise<BilledDraft | null> {
  return ctx.db.transaction(async (tx) => {
    // Another instance running the same cycle holds these rows: skip them rather than wait and
    // bill them twice; they are either billed by it or still unbilled for the next run.
    const rows = await lockBillableEntries(tx, ctx.workspaceId, project.project_id, cutoff);
    if (rows.length === 0) return null;
    const entries: BillableEntry[] = rows.map((r) => ({
      id: r.id,
      personEmail: r.person_email,
      personName: r.person_name,
      task: r.task,
      workDate: r.work_date,
      minutes: Number(r.minutes),
      hourlyRateMinor: r.rate === null ? null : Number(r.rate),
    }));
    const lines = buildTimeLines(entries, input.groupBy ?? "person");
    const dates = entries.map((e) => e.workDate).sort();
    const created = await createInvoiceDraft(
      { ...ctx, db: tx },
      {
        projectId: project.project_id,
        servicePeriodStart: dates[0],
        servicePeriodEnd: dates[dates.length - 1],
        lines: lines.map((line) => ({
          description: line.description,
          quantityMilli: line.quantityMilli,
          unitCode: line.unitCode,
          unitPriceMinor: line.unitPriceMinor,
          priceBaseQuantityMilli: line.priceBaseQuantityMilli,
          periodStart: line.periodStart,
          periodEnd: line.periodEnd,
        })),
      },
    );
    const ids = entries.map((e) => e.id);
    const claimed = await markEntriesBilled(tx, ctx.workspaceId, ids, created.invoice.id);
    if (claimed !== ids.length) {
      // Cannot happen while we hold the row locks; if it does, bill nothing rather than twice.
      throw new Error(`billing cycle claimed ${claimed} of ${ids.length} entries of ${project.code}`);
    }
    await recordAudit(tx, {
      workspaceId: ctx.workspaceId,
      actor: auditActorOf(ctx.actor),
      action: "time_entries.billed",
      entity: "invoice",
      entityId: created.invoice.id,
      after: { entries: ids.length, cutoff },
    });
    return {
      invoiceId: created.invoice.id,
      projectId: project.project_id,
      projectCode: project.code,
      clientName: project.client_name,
      currency: created.invoice.currency,
      entries: ids.length,
      minutes: entries.reduce((sum, e) => sum + e.minutes, 0),
      subtotalMinor: created.invoice.subtotalMinor,
      totalMinor: created.invoice.totalMinor,
    };
  });
}
