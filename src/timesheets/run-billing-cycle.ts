// The billing cycle: approved, unbilled time becomes one time-and-materials draft per project, and
// the drafts go to the billing channel as one digest. Each entry is billed exactly once: its rows are
// locked (SKIP LOCKED) and claimed (`invoice_id IS NULL`) in the transaction that creates the draft.
import { createHash } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { queryRows } from "../db/client.ts";
import { timeEntries, workspaces } from "../db/schema/index.ts";
import { claimDelivery } from "../delivery/index.ts";
import { addDays, isCalendarDate } from "../domain/calendar.ts";
import { DomainError } from "../domain/errors.ts";
import { localToday } from "../domain/overdue.ts";
import { type BillableEntry, buildTimeLines, type TimeLineGrouping } from "../domain/timesheet-billing.ts";
import { billingSliceOf, previousMonth, weekSlice, weekStart } from "../domain/timesheet-period.ts";
import { createInvoiceDraft } from "../invoicing/index.ts";
import { TIMESHEET_PAYLOADS } from "./timesheet-transition.ts";

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

type CandidateRow = {
  id: string;
  project_id: string;
  person_email: string;
  person_name: string | null;
  task: string | null;
  work_date: string;
  minutes: number;
  rate: string | number | null;
};

export async function runBillingCycle(
  deps: ServiceDeps,
  input: { workspaceId: string; asOf?: string; groupBy?: TimeLineGrouping },
): Promise<BillingCycleResult> {
  const [workspace] = await deps.db.select().from(workspaces).where(eq(workspaces.id, input.workspaceId));
  if (!workspace) throw new DomainError("workspace.not_found", "workspace not found");
  const asOf = input.asOf ?? localToday(deps.now(), workspace.timeZone);
  if (!isCalendarDate(asOf)) {
    throw new DomainError("billing.as_of", `bad date ${asOf}`, {
      userMessage: `"${asOf}" is not a date: write it like 2026-12-01.`,
    });
  }
  const cadence = workspace.settings.billingCadence ?? "monthly";
  // Monthly bills the previous complete month; weekly the previous complete week.
  const cutoff = cadence === "monthly" ? previousMonth(asOf).end : addDays(weekStart(asOf), -1);

  const projectRows = await queryRows<{
    project_id: string;
    code: string;
    client_id: string;
    client_name: string;
  }>(
    deps.db,
    sql`select distinct p.id as project_id, p.code, c.id as client_id, c.name as client_name
        from time_entries e
        join timesheets t on t.id = e.timesheet_id and t.status = 'approved'
        join projects p on p.id = e.project_id and p.billing_mode = 'time'
        join clients c on c.id = p.client_id
        where e.workspace_id = ${input.workspaceId} and e.invoice_id is null and e.billable
          and e.work_date <= ${cutoff}::date
        order by p.code`,
  );
  const slice = weekSlice(asOf, WEEKLY_SLICES);
  const due =
    cadence === "weekly"
      ? projectRows.filter((p) => billingSliceOf(p.client_id, WEEKLY_SLICES) === slice)
      : projectRows;

  const drafts: BilledDraft[] = [];
  for (const project of due) {
    const draft = await billProject(deps, input, project, cutoff);
    if (draft) drafts.push(draft);
  }

  let digestDeliveryId: string | null = null;
  if (drafts.length > 0) {
    const ids = drafts.map((d) => d.invoiceId).sort();
    const runKey = createHash("sha256").update(ids.join(",")).digest("hex").slice(0, 24);
    digestDeliveryId = await claimDelivery(deps.db, {
      workspaceId: input.workspaceId,
      kind: "slack_message",
      dedupeKey: `billing-digest:${asOf}:${runKey}`,
      payload: { type: TIMESHEET_PAYLOADS.billingDigest, asOf, cutoff, invoiceIds: ids },
    });
    if (digestDeliveryId) await deps.enqueue([digestDeliveryId]);
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
  deps: ServiceDeps,
  input: { workspaceId: string; groupBy?: TimeLineGrouping },
  project: { project_id: string; code: string; client_name: string },
  cutoff: string,
): Promise<BilledDraft | null> {
  return deps.db.transaction(async (tx) => {
    // Another instance running the same cycle holds these rows: skip them rather than wait and
    // bill them twice; they are either billed by it or still unbilled for the next run.
    const rows = await queryRows<CandidateRow>(
      tx,
      sql`select e.id, e.project_id, e.person_email, e.person_name, e.task, e.work_date::text as work_date,
            e.minutes, coalesce(r.hourly_rate_minor, p.hourly_rate_minor, m.hourly_rate_minor) as rate
          from time_entries e
          join timesheets t on t.id = e.timesheet_id and t.status = 'approved'
          join projects p on p.id = e.project_id
          left join project_rates r on r.project_id = e.project_id and r.person_email = e.person_email
          -- The person's default rate (cobro import people) when the project sets none.
          left join members m on m.workspace_id = e.workspace_id and lower(m.email) = e.person_email
            and m.hourly_rate_currency = p.currency
          where e.workspace_id = ${input.workspaceId} and e.project_id = ${project.project_id}
            and e.invoice_id is null and e.billable and e.work_date <= ${cutoff}::date
          order by e.work_date, e.id
          for update of e skip locked`,
    );
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
      { ...deps, db: tx },
      {
        workspaceId: input.workspaceId,
        actor: "billing-cycle",
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
    let claimed = 0;
    for (let i = 0; i < ids.length; i += 5000) {
      const chunk = await tx
        .update(timeEntries)
        .set({ invoiceId: created.invoice.id })
        .where(
          and(
            eq(timeEntries.workspaceId, input.workspaceId),
            inArray(timeEntries.id, ids.slice(i, i + 5000)),
            isNull(timeEntries.invoiceId),
          ),
        )
        .returning({ id: timeEntries.id });
      claimed += chunk.length;
    }
    if (claimed !== ids.length) {
      // Cannot happen while we hold the row locks; if it does, bill nothing rather than twice.
      throw new Error(`billing cycle claimed ${claimed} of ${ids.length} entries of ${project.code}`);
    }
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: "billing-cycle",
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
