// Imports people, clients, projects, milestones, receivables or payments from a CSV file into one
// workspace: all rows or none, in one transaction; a re-import updates instead of duplicating. The
// file is read, checked and written a batch of rows at a time, so its size is not limited by memory
// or by PostgreSQL's parameters a statement.

import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { commitIf } from "../db/commit-if.ts";
import { DomainError, present } from "../domain/errors.ts";
import {
  checkHeader,
  IMPORT_KINDS,
  type ImportCounts,
  type ImportKind,
  type ImportRowByKind,
  type RowError,
  validateImportRows,
  validationMemory,
} from "../domain/import-rows.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { importClients } from "./clients.ts";
import { type Handler, ImportContext, type Outcome } from "./context.ts";
import { explainFailure } from "./explain-failure.ts";
import { importInvoices } from "./invoices.ts";
import { importMilestones } from "./milestones.ts";
import { type CsvSource, openCsv } from "./open-csv.ts";
import { importPayments } from "./payments.ts";
import { importPeople } from "./people.ts";
import { importProjects } from "./projects.ts";

export type ImportCsvInput = {
  kind: ImportKind;
  csv: CsvSource;
  decimalComma?: boolean;
  /** Dates such as 14/06/2026 are day first; ISO dates read as ISO either way. */
  dayFirst?: boolean;
  dryRun?: boolean;
  /** Reads a file a row names (the invoices' pdf column), relative to the CSV file. */
  readAttachment?: (path: string) => Promise<Uint8Array>;
  /** Called after each batch of rows is written (for a progress line on a terminal). */
  onProgress?: (progress: ImportProgress) => void;
};

export type ImportProgress = { rows: number; bytesRead: number };

export type ImportCsvResult = ImportCounts & {
  kind: ImportKind;
  dryRun: boolean;
  /** true when nothing was written: a dry run, or errors. */
  rolledBack: boolean;
  /** Members created for pm_email addresses that were not known yet (projects). */
  membersCreated: number;
  errors: RowError[];
};

// Rows of these kinds may refer to rows further down the file (a person's approver): their handler
// gets the whole file at once. Such files are small (the people of one company).
const WHOLE_FILE: readonly ImportKind[] = ["people"];

const handlers: { [K in ImportKind]: Handler<K> } = {
  people: importPeople,
  clients: importClients,
  projects: importProjects,
  milestones: importMilestones,
  invoices: importInvoices,
  payments: importPayments,
};

export async function importCsv(ctx: Ctx, input: ImportCsvInput): Promise<ImportCsvResult> {
  // People come with their roles, clients with their terms: a bulk import is the admin's.
  assertAllowed(ctx.actor, { action: "configure" });
  if (!IMPORT_KINDS.includes(input.kind)) {
    throw new DomainError("import.kind", `unknown import kind ${input.kind}`, {
      userMessage: `Cannot import "${input.kind}": choose one of ${IMPORT_KINDS.join(", ")}.`,
    });
  }
  const dryRun = Boolean(input.dryRun);
  const result: ImportCsvResult = {
    kind: input.kind,
    dryRun,
    rolledBack: true,
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    membersCreated: 0,
    errors: [],
  };
  const file = await openCsv(input.csv, { decimalComma: input.decimalComma });
  const headerErrors = file.header.length > 0 ? checkHeader(input.kind, file.header) : [];
  if (file.header.length === 0 || headerErrors.length > 0) {
    await file.batches.return();
    result.errors = [...headerErrors, ...file.errors];
    return result;
  }
  const errors: RowError[] = [];
  const handler = handlers[input.kind] as Handler<ImportKind>;
  const memory = validationMemory();
  const counts: Record<Outcome, number> = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  const committed = await commitIf(ctx.db, async (tx) => {
    const importing = new ImportContext({
      tx,
      workspaceId: ctx.workspaceId,
      auditActor: auditActorOf(ctx.actor),
      now: ctx.now(),
      errors,
      readAttachment: input.readAttachment,
    });
    const write = async (rows: ImportRowByKind[ImportKind][], bytesRead: number) => {
      if (rows.length === 0) return;
      // Still run the rows that passed validation, so one run reports every problem there is.
      const lines = {
        first: present(rows[0], "rows[0]").line,
        last: present(rows.at(-1), "rows.at(-1)").line,
      };
      const outcomes = await explainFailure(`checking ${input.kind}`, lines, () => handler(importing, rows));
      for (const outcome of outcomes) counts[outcome] += 1;
      await importing.writes.flush(importing.tx, (what, run) => explainFailure(what, lines, run));
      await explainFailure("insert into audit_log", lines, () => recordAudit(importing.tx, importing.audit));
      importing.audit.length = 0;
      input.onProgress?.({ rows: result.rows, bytesRead });
    };
    const held: ImportRowByKind[ImportKind][] = [];
    let bytesRead = 0;
    for await (const batch of file.batches) {
      for (const error of batch.errors) errors.push(error);
      result.rows += batch.rows.length + batch.errors.length;
      bytesRead = batch.bytesRead;
      const validated = validateImportRows(input.kind, batch.rows, {
        decimalComma: input.decimalComma,
        dayFirst: input.dayFirst,
        memory,
      });
      for (const error of validated.errors) errors.push(error);
      if (WHOLE_FILE.includes(input.kind)) for (const row of validated.rows) held.push(row);
      else await write(validated.rows, bytesRead);
    }
    await write(held, bytesRead);
    result.membersCreated = importing.membersCreated;
    return errors.length === 0 && !dryRun;
  });
  result.rolledBack = !committed;
  result.errors = errors.sort((a, b) => a.line - b.line);
  if (result.errors.length === 0) {
    result.created = counts.created;
    result.updated = counts.updated;
    result.unchanged = counts.unchanged;
  }
  return result;
}
