// Synthetic CSV files of any size for every import kind (tests and bench/import.ts). Row i of each
// kind refers to row i of the kind it depends on, so files of the same size import in order.
import type { ImportKind } from "../../src/domain/import-rows.ts";

export type FileKind = ImportKind | "time-entries";
export const FILE_KINDS: readonly FileKind[] = [
  "clients",
  "projects",
  "milestones",
  "invoices",
  "payments",
  "time-entries",
];

const HEADERS: Record<FileKind, string> = {
  people: "email,name,roles,hourly_rate,currency",
  clients: "external_id,name,profile,emails,currency,payment_terms_days,language,tax_id,country",
  projects: "code,client_external_id,name,billing_mode,currency,slack_channel,pm_email,hourly_rate",
  milestones: "project_code,name,amount,planned_date,status",
  invoices: "number,client_external_id,project_code,issue_date,due_date,currency,total",
  payments: "invoice_number,date,amount,method,reference",
  "time-entries":
    "external_id,project_code,person_email,person_name,date,hours,minutes,description,task,billable",
};

const day = (offset: number) => new Date(Date.UTC(2026, 0, 5 + offset)).toISOString().slice(0, 10);

function row(kind: FileKind, i: number): string {
  switch (kind) {
    case "people":
      return `person${i}@consult.example,Person ${i},pm,70.00,EUR`;
    case "clients":
      return `C${i},"Client ${i}, S.L.",business,ap${i}@client.example,EUR,30,en,,ES`;
    case "projects":
      return `P${i},C${i},Project ${i},time,,,pm${i % 20}@consult.example,85.50`;
    case "milestones":
      return `P${i},Milestone ${i},1200.00,${day(i % 300)},planned`;
    case "invoices":
      return `INV-${i},C${i},P${i},2026-01-05,2026-02-04,EUR,1000.00`;
    case "payments":
      return `INV-${i},2026-01-20,400.00,transfer,TRF-${i}`;
    case "time-entries":
      return `T${i},P${1 + (i % 50)},dev${i % 10}@consult.example,Dev ${i % 10},${day(i % 56)},1.5,,"Work on item ${i}",Build,yes`;
  }
}

/** The same row broken so validation refuses it (a currency, an amount, an hour count). */
function badRow(kind: FileKind, i: number): string {
  switch (kind) {
    case "people":
      return row(kind, i).replace(",pm,", ",boss,");
    case "clients":
      return row(kind, i).replace(",EUR,", ",EURO,");
    case "projects":
      return row(kind, i).replace(",time,", ",sometimes,");
    case "milestones":
    case "invoices":
      return row(kind, i).replace(/,1(200|000)\.00/, ",lots");
    case "payments":
      return row(kind, i).replace(",400.00,", ",-4,");
    case "time-entries":
      return row(kind, i).replace(",1.5,", ",many,");
  }
}

/** File line of row i (1-based): the header is line 1. */
export const lineOfRow = (i: number) => i + 1;

/** `rows` rows (numbered 1…rows) as CSV text chunks; `badLine` is a file line made invalid. */
export async function* csvChunks(
  kind: FileKind,
  rows: number,
  options: { badLine?: number } = {},
): AsyncGenerator<string> {
  yield `${HEADERS[kind]}\n`;
  let chunk: string[] = [];
  for (let i = 1; i <= rows; i++) {
    chunk.push(lineOfRow(i) === options.badLine ? badRow(kind, i) : row(kind, i));
    if (chunk.length === 1000) {
      yield `${chunk.join("\n")}\n`;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield `${chunk.join("\n")}\n`;
}

export async function csvText(kind: FileKind, rows: number, options: { badLine?: number } = {}) {
  let text = "";
  for await (const chunk of csvChunks(kind, rows, options)) text += chunk;
  return text;
}
