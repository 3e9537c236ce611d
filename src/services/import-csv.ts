// Imports people, clients, projects, milestones, receivables or payments from a CSV file into one workspace:
// all rows or none, in one transaction; a re-import updates instead of duplicating.
import { parse } from "csv-parse/sync";
import type { ServiceDeps } from "../context.ts";
import type { Db } from "../db/client.ts";
import { recordAudit } from "../db/repos/audit.ts";
import { DomainError } from "../domain/errors.ts";
import {
  checkHeader,
  IMPORT_KINDS,
  type ImportKind,
  type RawRow,
  type RowError,
  validateImportRows,
} from "../domain/import-rows.ts";
import { importClients } from "./import/clients.ts";
import type { Context, Handler } from "./import/context.ts";
import { importInvoices } from "./import/invoices.ts";
import { importMilestones } from "./import/milestones.ts";
import { importPayments } from "./import/payments.ts";
import { importPeople } from "./import/people.ts";
import { importProjects } from "./import/projects.ts";

export { statusForOpen } from "./import/status-for-open.ts";

export type ImportCsvInput = {
  workspaceId: string;
  kind: ImportKind;
  csv: string | Uint8Array;
  decimalComma?: boolean;
  dryRun?: boolean;
  /** Reads a file a row names (the invoices' pdf column), relative to the CSV file. */
  readAttachment?: (path: string) => Promise<Uint8Array>;
};

export type ImportCsvResult = {
  kind: ImportKind;
  dryRun: boolean;
  /** true when nothing was written: a dry run, or errors. */
  rolledBack: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Members created for pm_email addresses that were not known yet (projects). */
  membersCreated: number;
  errors: RowError[];
};

export type ParsedCsv = { header: string[]; rows: RawRow[]; errors: RowError[] };

function detectDelimiter(firstLine: string, decimalComma: boolean): string {
  const counts = [";", ",", "\t"].map((d) => ({ d, n: firstLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  const [best, second] = counts;
  if (!best || best.n === 0 || best.n === second?.n) return decimalComma ? ";" : ",";
  return best.d;
}

/** CSV text → header and rows with the file line each row starts on (header = line 1). */
export function readCsv(input: string | Uint8Array, options: { decimalComma?: boolean } = {}): ParsedCsv {
  const text = (typeof input === "string" ? input : new TextDecoder("utf-8").decode(input)).replace(
    /^\uFEFF/,
    "",
  );
  if (text.trim() === "") {
    return { header: [], rows: [], errors: [{ line: 1, column: "header", message: "the file is empty" }] };
  }
  const delimiter = detectDelimiter(text.split(/\r?\n/, 1)[0] ?? "", Boolean(options.decimalComma));
  let records: { record: string[]; info: { lines: number; empty_lines: number } }[];
  try {
    records = parse(text, {
      delimiter,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    const reason = error instanceof Error ? error.message.replace(/^Invalid [^:]*: /, "") : String(error);
    return { header: [], rows: [], errors: [{ line, column: "row", message: `unreadable CSV: ${reason}` }] };
  }
  const [first, ...rest] = records;
  const header = (first?.record ?? []).map((h) => h.trim().toLowerCase().replace(/\s+/g, "_"));
  const rows: RawRow[] = [];
  const errors: RowError[] = [];
  let previousEnd = first?.info.lines ?? 1;
  let previousEmpty = first?.info.empty_lines ?? 0;
  for (const { record, info } of rest) {
    const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;
    if (record.every((cell) => cell.trim() === "")) continue;
    if (record.length !== header.length) {
      errors.push({
        line,
        column: "row",
        message: `has ${record.length} cells but the header has ${header.length} (a separator inside a cell needs "quotes")`,
      });
      continue;
    }
    rows.push({ line, cells: Object.fromEntries(header.map((name, i) => [name, record[i] ?? ""])) });
  }
  return { header, rows, errors };
}

class Rollback extends Error {}

const handlers: { [K in ImportKind]: Handler<K> } = {
  people: importPeople,
  clients: importClients,
  projects: importProjects,
  milestones: importMilestones,
  invoices: importInvoices,
  payments: importPayments,
};

export async function importCsv(deps: ServiceDeps, input: ImportCsvInput): Promise<ImportCsvResult> {
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
  const parsed = readCsv(input.csv, { decimalComma: input.decimalComma });
  const headerErrors = parsed.header.length > 0 ? checkHeader(input.kind, parsed.header) : [];
  if (parsed.header.length === 0 || headerErrors.length > 0) {
    result.errors = [...headerErrors, ...parsed.errors];
    return result;
  }
  const validated = validateImportRows(input.kind, parsed.rows, { decimalComma: input.decimalComma });
  result.rows = parsed.rows.length + parsed.errors.length;
  const errors = [...parsed.errors, ...validated.errors];
  const handler = handlers[input.kind] as Handler<ImportKind>;
  try {
    await deps.db.transaction(async (tx) => {
      const ctx: Context = {
        tx: tx as unknown as Db,
        workspaceId: input.workspaceId,
        now: deps.now(),
        errors,
        audit: [],
        membersCreated: 0,
        readAttachment: input.readAttachment,
      };
      // Still run the rows that passed validation, so one run reports every problem there is.
      const outcomes = validated.rows.length > 0 ? await handler(ctx, validated.rows) : [];
      result.created = outcomes.filter((o) => o === "created").length;
      result.updated = outcomes.filter((o) => o === "updated").length;
      result.unchanged = outcomes.filter((o) => o === "unchanged").length;
      result.membersCreated = ctx.membersCreated;
      if (errors.length > 0 || dryRun) throw new Rollback();
      await recordAudit(ctx.tx, ctx.audit);
    });
    result.rolledBack = false;
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  result.errors = errors.sort((a, b) => a.line - b.line);
  if (result.errors.length > 0) {
    result.created = 0;
    result.updated = 0;
    result.unchanged = 0;
  }
  return result;
}
