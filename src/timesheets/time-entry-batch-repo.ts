// Saves one batch of validated time entries into their timesheets, inside the caller's transaction
// (a step of `recordTimeEntries` and of the CSV import, which share it, hence a repo function):
// idempotent on the external id, never touching entries of submitted or approved timesheets. Its
// statements cover many rows each; the caller rolls back when the result has errors.

import { createHash } from "node:crypto";
import { recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { present } from "../domain/errors.ts";
import type { RowError } from "../domain/import-rows.ts";
import { nameKey } from "../domain/names.ts";
import type { TimeEntryDraft } from "../domain/time-entry-formats.ts";
import { type PeriodKind, periodFor } from "../domain/timesheet-period.ts";
import { entriesEditable } from "../domain/timesheet-state.ts";
import {
  ensureTimesheets,
  findEntriesByExternalId,
  insertTimeEntries,
  type TimeEntryInsert,
  type TimeEntryLookups,
  type TimeEntryUpdate,
  type TimesheetKey,
  timesheetKey,
  updateTimeEntries,
} from "./repo.ts";

export type TimeEntryBatchInput = {
  workspaceId: string;
  entries: TimeEntryDraft[];
  /** "import", "api:<key prefix>", "slack:<user id>" */
  actor: string;
  dryRun?: boolean;
  periodKind?: PeriodKind;
  /** The API and Slack answer with the entries' ids; a file import only counts (memory stays flat). */
  skipIds?: boolean;
};

export type TimeEntryBatchResult = {
  created: number;
  updated: number;
  unchanged: number;
  /** `line` is the file line (CSV) or the item index (API). */
  errors: RowError[];
  entryIds: string[];
  rolledBack: boolean;
};

/** Stable id of a row whose tool exports no id: re-importing the same export finds the same rows. */
function hashedExternalId(draft: TimeEntryDraft): string {
  return `${draft.source}:${createHash("sha256").update(draft.identity).digest("hex").slice(0, 32)}`;
}

type Resolved = { draft: TimeEntryDraft; projectId: string; personEmail: string; externalId: string };

function resolve(draft: TimeEntryDraft, lookups: TimeEntryLookups, errors: RowError[]): Resolved | null {
  const { line } = draft;
  let projectId: string | undefined;
  if (draft.projectCode) {
    projectId = lookups.byCode.get(nameKey(draft.projectCode))?.id;
    if (!projectId && !draft.projectName) {
      errors.push({
        line,
        column: "project_code",
        message: `no project has the code "${draft.projectCode}"`,
      });
      return null;
    }
  }
  if (!projectId && draft.projectName) {
    const hits = lookups.byName.get(nameKey(draft.projectName)) ?? [];
    const byCode = lookups.byCode.get(nameKey(draft.projectName));
    if (hits.length === 1) projectId = hits[0]?.id;
    else if (byCode) projectId = byCode.id;
    else {
      errors.push({
        line,
        column: draft.projectCode ? "project_code" : "project",
        message:
          hits.length > 1
            ? `"${draft.projectName}" is the name of ${hits.length} projects: use the project code`
            : `no project is named "${draft.projectName}" (or has it as code)`,
      });
      return null;
    }
  }
  if (!projectId) {
    errors.push({ line, column: "project", message: "is required" });
    return null;
  }
  let personEmail = draft.personEmail;
  if (!personEmail) {
    // Harvest (and trackers exported without e-mails) name people: a member with that exact name.
    const hits = lookups.memberByName.get(nameKey(draft.personName ?? "")) ?? [];
    const email = hits.length === 1 ? hits[0]?.email : null;
    if (!email) {
      errors.push({
        line,
        column: draft.source === "harvest" ? "first_name" : "user",
        message:
          hits.length > 1
            ? `several members are named "${draft.personName}"`
            : `no member named "${draft.personName}" with an e-mail: add a line for them (e-mail and this exact name) with \`cobro import people\` first`,
      });
      return null;
    }
    personEmail = email.toLowerCase();
  }
  return { draft, projectId, personEmail, externalId: draft.externalId ?? hashedExternalId(draft) };
}

/** Adds the batch's counts, errors and entry ids to `result`. */
export async function saveTimeEntryBatch(
  tx: Db,
  lookups: TimeEntryLookups,
  input: Omit<TimeEntryBatchInput, "dryRun">,
  now: Date,
  result: TimeEntryBatchResult,
): Promise<void> {
  const resolved = input.entries
    .map((d) => resolve(d, lookups, result.errors))
    .filter((r): r is Resolved => r !== null);
  const existing = await findEntriesByExternalId(
    tx,
    input.workspaceId,
    resolved.map((r) => r.externalId),
  );
  const keys: TimesheetKey[] = resolved.map((r) => {
    const period = periodFor(r.draft.workDate, input.periodKind ?? "week");
    return {
      projectId: r.projectId,
      personEmail: r.personEmail,
      periodStart: period.start,
      periodEnd: period.end,
      memberId: lookups.memberByEmail.get(r.personEmail)?.id ?? null,
    };
  });
  const sheets = await ensureTimesheets(tx, input.workspaceId, keys);
  const inserts: TimeEntryInsert[] = [];
  const updates: TimeEntryUpdate[] = [];
  const audits: Parameters<typeof recordAudit>[1] = [];
  for (const [i, r] of resolved.entries()) {
    const sheet = sheets.get(timesheetKey(present(keys[i], "timesheet key")));
    if (!sheet) throw new Error("timesheet vanished");
    const values = {
      projectId: r.projectId,
      personEmail: r.personEmail,
      personName: r.draft.personName ?? lookups.memberByEmail.get(r.personEmail)?.name ?? null,
      workDate: r.draft.workDate,
      minutes: r.draft.minutes,
      description: r.draft.description,
      task: r.draft.task,
      billable: r.draft.billable,
      timesheetId: sheet.id,
    };
    const before = existing.get(r.externalId);
    const line = r.draft.line;
    if (before) {
      const same =
        before.projectId === values.projectId &&
        before.personEmail === values.personEmail &&
        String(before.workDate) === values.workDate &&
        before.minutes === values.minutes &&
        before.description === values.description &&
        (before.task ?? null) === values.task &&
        before.billable === values.billable;
      if (!input.skipIds) result.entryIds.push(before.id);
      if (same) {
        result.unchanged++;
        continue;
      }
      if (before.invoiceId) {
        result.errors.push({
          line,
          column: "row",
          message: "this entry is already invoiced and cannot change",
        });
        continue;
      }
      if (before.timesheetStatus && !entriesEditable(before.timesheetStatus)) {
        result.errors.push({
          line,
          column: "row",
          message: `this entry is in a ${before.timesheetStatus} timesheet and is locked`,
        });
        continue;
      }
      if (!entriesEditable(sheet.status)) {
        result.errors.push({
          line,
          column: "date",
          message: `moves the entry into a ${sheet.status} timesheet`,
          lockedTimesheet: sheet.status,
        });
        continue;
      }
      updates.push({ id: before.id, set: { ...values, updatedAt: now } });
      audits.push({
        workspaceId: input.workspaceId,
        actor: input.actor,
        action: "time_entry.updated",
        entity: "time_entry",
        entityId: before.id,
        before: { minutes: before.minutes, workDate: before.workDate, billable: before.billable },
        after: { minutes: values.minutes, workDate: values.workDate, billable: values.billable },
      });
      result.updated++;
      continue;
    }
    if (!entriesEditable(sheet.status)) {
      result.errors.push({
        line,
        column: "date",
        message: `${r.personEmail}'s timesheet for the week of ${sheet.periodStart} is ${sheet.status}: no new time can be added to it`,
        lockedTimesheet: sheet.status,
      });
      continue;
    }
    inserts.push({
      workspaceId: input.workspaceId,
      externalId: r.externalId,
      source: r.draft.source,
      ...values,
    });
  }
  result.created += inserts.length;
  await insertTimeEntries(tx, inserts);
  await updateTimeEntries(tx, updates);
  await recordAudit(tx, audits);
  if (inserts.length > 0 && !input.skipIds) {
    const ids = await findEntriesByExternalId(
      tx,
      input.workspaceId,
      inserts.map((e) => e.externalId),
    );
    for (const row of ids.values()) result.entryIds.push(row.id);
  }
}
