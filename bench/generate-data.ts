// Synthetic receivables for benchmarks: one workspace, N clients, their projects, invoices spread
// over two years with log-normal amounts, ~10 % still open (some partly paid) and their payments.
// PostgreSQL is loaded with COPY; PGlite (small N) with multi-row inserts from arrays.
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import postgres from "postgres";
import { rebuildAgingBalances } from "../src/aging/balances-repo.ts";
import type { Database } from "../src/db/client.ts";

export type GenerateOptions = {
  invoices: number;
  clients: number;
  /** Needed for COPY on PostgreSQL; without it rows go in batched inserts. */
  databaseUrl?: string;
  /** "Today" of the data set (YYYY-MM-DD); invoices span the two years before it. */
  today?: string;
  seed?: number;
  onProgress?: (table: string, rows: number) => void;
};

export type GenerateResult = {
  workspaceId: string;
  clients: number;
  projects: number;
  invoices: number;
  payments: number;
  openInvoices: number;
  seconds: number;
  rowsPerSecond: number;
  method: "copy" | "insert";
  /** Foreign-key triggers skipped during COPY (superuser only). */
  triggersOff: boolean;
};

type ColumnType = "uuid" | "text" | "date" | "bigint" | "int" | "timestamptz" | "text[]";
type Table = { name: string; columns: [string, ColumnType][] };
type Value = string | number | null | string[];

const BATCH = 5_000;

// Small deterministic PRNG (mulberry32): the same seed gives the same data set.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function copyCell(value: Value): string {
  if (value === null) return "\\N";
  if (Array.isArray(value)) return `{${value.join(",")}}`;
  return String(value);
}

type CopyWriter = { write: (row: Value[]) => Promise<void>; end: () => Promise<number> };

async function openCopy(
  sql: postgres.Sql,
  table: Table,
  onProgress?: (n: number) => void,
): Promise<CopyWriter> {
  const names = table.columns.map(([name]) => name);
  const stream = await sql.unsafe(`copy ${table.name} (${names.join(", ")}) from stdin`).writable();
  let chunk: string[] = [];
  let count = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    if (!stream.write(`${chunk.join("\n")}\n`)) await once(stream, "drain");
    chunk = [];
  };
  return {
    write: async (row) => {
      chunk.push(row.map(copyCell).join("\t"));
      count += 1;
      if (chunk.length === 2_000) await flush();
      if (count % 100_000 === 0) onProgress?.(count);
    },
    end: async () => {
      await flush();
      stream.end();
      await finished(stream);
      return count;
    },
  };
}

/** Writes rows into a table: COPY through postgres.js, or unnest() batches through database.query. */
async function loadRows(
  database: Database,
  sql: postgres.Sql | undefined,
  table: Table,
  rows: Iterable<Value[]>,
  onProgress?: (n: number) => void,
): Promise<number> {
  const names = table.columns.map(([name]) => name);
  let count = 0;
  if (sql) {
    const stream = await sql.unsafe(`copy ${table.name} (${names.join(", ")}) from stdin`).writable();
    let chunk: string[] = [];
    const flush = async () => {
      if (chunk.length === 0) return;
      if (!stream.write(`${chunk.join("\n")}\n`)) await once(stream, "drain");
      chunk = [];
    };
    for (const row of rows) {
      chunk.push(row.map(copyCell).join("\t"));
      count += 1;
      if (chunk.length === 2_000) await flush();
      if (count % 100_000 === 0) onProgress?.(count);
    }
    await flush();
    stream.end();
    await finished(stream);
    return count;
  }
  // Array columns travel as literals (unnest would flatten text[][]) and are cast back per row.
  const params = table.columns.map(([, type], i) => `$${i + 1}::${type === "text[]" ? "text" : type}[]`);
  const aliases = table.columns.map((_, i) => `c${i}`);
  const select = table.columns.map(([, type], i) => (type === "text[]" ? `c${i}::text[]` : `c${i}`));
  const text = `insert into ${table.name} (${names.join(", ")}) select ${select.join(", ")} from unnest(${params.join(", ")}) as t(${aliases.join(", ")})`;
  let batch: Value[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const columns = table.columns.map(([, type], i) =>
      batch.map((row) => (type === "text[]" ? copyCell(row[i] ?? null) : (row[i] ?? null))),
    );
    await database.query(text, columns);
    batch = [];
  };
  for (const row of rows) {
    batch.push(row);
    count += 1;
    if (batch.length === BATCH) await flush();
    if (count % 100_000 === 0) onProgress?.(count);
  }
  await flush();
  return count;
}

const CLIENTS: Table = {
  name: "clients",
  columns: [
    ["id", "uuid"],
    ["workspace_id", "uuid"],
    ["external_id", "text"],
    ["name", "text"],
    ["profile", "text"],
    ["emails", "text[]"],
    ["language", "text"],
    ["currency", "text"],
    ["payment_terms_days", "int"],
    ["country", "text"],
  ],
};
const PROJECTS: Table = {
  name: "projects",
  columns: [
    ["id", "uuid"],
    ["workspace_id", "uuid"],
    ["client_id", "uuid"],
    ["code", "text"],
    ["name", "text"],
    ["billing_mode", "text"],
    ["currency", "text"],
    ["hourly_rate_minor", "bigint"],
  ],
};
const INVOICES: Table = {
  name: "invoices",
  columns: [
    ["id", "uuid"],
    ["workspace_id", "uuid"],
    ["status", "text"],
    ["number", "text"],
    ["client_id", "uuid"],
    ["project_id", "uuid"],
    ["currency", "text"],
    ["issue_date", "date"],
    ["due_date", "date"],
    ["subtotal_minor", "bigint"],
    ["vat_minor", "bigint"],
    ["total_minor", "bigint"],
    ["open_minor", "bigint"],
    ["payment_terms_days", "int"],
    ["source", "text"],
    ["issued_at", "timestamptz"],
  ],
};
const PAYMENTS: Table = {
  name: "payments",
  columns: [
    ["id", "uuid"],
    ["workspace_id", "uuid"],
    ["invoice_id", "uuid"],
    ["amount_minor", "bigint"],
    ["currency", "text"],
    ["paid_on", "date"],
    ["method", "text"],
    ["reference", "text"],
    ["dedupe_key", "text"],
  ],
};

type ClientGen = { id: string; currency: string; terms: number; projects: string[]; country: string };

export async function generateDataset(database: Database, options: GenerateOptions): Promise<GenerateResult> {
  const started = performance.now();
  const rand = random(options.seed ?? 42);
  const todayMs = Date.parse(`${options.today ?? new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const sql =
    database.kind === "postgres" && options.databaseUrl
      ? postgres(options.databaseUrl, { max: 1, onnotice: () => {} })
      : undefined;
  let triggersOff = false;
  let paymentSql: postgres.Sql | undefined;
  try {
    if (sql && options.databaseUrl) {
      // Rows are consistent by construction: on a superuser connection skip the per-row foreign
      // key triggers, which cost more than the COPY itself. Other roles load with them on, and
      // then payments must wait for their invoices (one stream after the other).
      triggersOff = await sql`set session_replication_role = replica`.then(
        () => true,
        () => false,
      );
      if (triggersOff) {
        paymentSql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
        await paymentSql`set session_replication_role = replica`;
      }
    }
    const [workspace] = await database.query<{ id: string }>(
      "insert into workspaces (name, time_zone, base_currency, locale) values ($1, 'Europe/Madrid', 'EUR', 'es') returning id",
      [`Bench ${new Date().toISOString()} ${randomUUID().slice(0, 6)}`],
    );
    const workspaceId = workspace!.id;

    const clients: ClientGen[] = [];
    const TERMS = [15, 30, 30, 30, 45, 60, 60];
    const PROFILES = ["business", "business", "business", "business", "public", "individual"];
    const clientRows = function* (): Generator<Value[]> {
      for (let i = 0; i < options.clients; i++) {
        const r = rand();
        const currency = r < 0.85 ? "EUR" : r < 0.95 ? "USD" : "GBP";
        const country = currency === "USD" ? "US" : currency === "GBP" ? "GB" : rand() < 0.6 ? "ES" : "FR";
        const language = country === "ES" ? "es" : country === "FR" ? "fr" : "en";
        const terms = TERMS[Math.floor(rand() * TERMS.length)]!;
        const id = randomUUID();
        const projectCount = 1 + Math.floor(rand() * 3);
        clients.push({
          id,
          currency,
          terms,
          country,
          projects: Array.from({ length: projectCount }, () => randomUUID()),
        });
        yield [
          id,
          workspaceId,
          `B${String(i + 1).padStart(6, "0")}`,
          `Client ${i + 1}`,
          PROFILES[Math.floor(rand() * PROFILES.length)]!,
          [`ap${i + 1}@client.example`],
          language,
          currency,
          terms,
          country,
        ];
      }
    };
    const clientCount = await loadRows(database, sql, CLIENTS, clientRows());

    const projectRows = function* (): Generator<Value[]> {
      let n = 0;
      for (const client of clients) {
        for (const id of client.projects) {
          n += 1;
          yield [
            id,
            workspaceId,
            client.id,
            `p${n}`,
            `Project ${n}`,
            rand() < 0.5 ? "fixed" : "time",
            client.currency,
            6_000 + Math.floor(rand() * 10_000),
          ];
        }
      }
    };
    const projectCount = await loadRows(database, sql, PROJECTS, projectRows());

    let openInvoices = 0;
    const invoiceRows = function* (): Generator<[Value[], Value[] | null]> {
      for (let i = 0; i < options.invoices; i++) {
        const client = clients[Math.floor(rand() * clients.length)]!;
        const projectId = client.projects[Math.floor(rand() * client.projects.length)]!;
        const ageDays = Math.floor(rand() * 730);
        const issueMs = todayMs - ageDays * DAY;
        const dueMs = issueMs + client.terms * DAY;
        // Log-normal around 2,500 with a long tail, at least 50.00.
        const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
        const subtotal = Math.max(5_000, Math.round(Math.exp(Math.log(2_500) + 0.9 * z) * 100));
        const vatRate = client.country === "ES" ? 21 : client.country === "FR" ? 20 : 0;
        const vat = Math.floor((subtotal * vatRate + 50) / 100);
        const total = subtotal + vat;
        const open = rand() < (ageDays < 120 ? 0.35 : 0.04);
        const partial = open && rand() < 0.25;
        const paid = open ? (partial ? Math.floor(total * (0.2 + rand() * 0.6)) : 0) : total;
        const openMinor = total - paid;
        if (openMinor > 0) openInvoices += 1;
        const id = randomUUID();
        const number = `G-${new Date(issueMs).getUTCFullYear()}-${String(i + 1).padStart(7, "0")}`;
        let payment: Value[] | null = null;
        if (paid > 0) {
          const paidMs = Math.min(todayMs, dueMs + Math.floor((rand() - 0.3) * 40) * DAY);
          payment = [
            randomUUID(),
            workspaceId,
            id,
            paid,
            client.currency,
            isoDay(Math.max(issueMs, paidMs)),
            "transfer",
            `TRF ${number}`,
            `bench:${number}`,
          ];
        }
        const invoice: Value[] = [
          id,
          workspaceId,
          openMinor === 0 ? "paid" : openMinor === total ? "issued" : "partially_paid",
          number,
          client.id,
          projectId,
          client.currency,
          isoDay(issueMs),
          isoDay(dueMs),
          subtotal,
          vat,
          total,
          openMinor,
          client.terms,
          "import",
          new Date(issueMs).toISOString(),
        ];
        yield [invoice, payment];
      }
    };
    let invoiceCount: number;
    let paymentCount: number;
    if (sql && paymentSql) {
      // Two COPY streams on two connections: the server indexes invoices and payments in parallel.
      const invoiceWriter = await openCopy(sql, INVOICES, (n) => options.onProgress?.("invoices", n));
      const paymentWriter = await openCopy(paymentSql, PAYMENTS);
      for (const [invoice, payment] of invoiceRows()) {
        await invoiceWriter.write(invoice);
        if (payment) await paymentWriter.write(payment);
      }
      [invoiceCount, paymentCount] = await Promise.all([invoiceWriter.end(), paymentWriter.end()]);
    } else {
      // Payments after invoices: their foreign key is checked row by row.
      const paymentBuffer: Value[][] = [];
      invoiceCount = await loadRows(
        database,
        sql,
        INVOICES,
        (function* () {
          for (const [invoice, payment] of invoiceRows()) {
            if (payment) paymentBuffer.push(payment);
            yield invoice;
          }
        })(),
        (n) => options.onProgress?.("invoices", n),
      );
      paymentCount = await loadRows(database, sql, PAYMENTS, paymentBuffer);
    }
    // With triggers off the open balances that /aging reads were not kept: compute them once.
    if (triggersOff) await rebuildAgingBalances(database.db, workspaceId, isoDay(todayMs));
    await database.exec("analyze clients; analyze projects; analyze invoices; analyze payments");
    const seconds = (performance.now() - started) / 1000;
    const rows = clientCount + projectCount + invoiceCount + paymentCount;
    return {
      workspaceId,
      clients: clientCount,
      projects: projectCount,
      invoices: invoiceCount,
      payments: paymentCount,
      openInvoices,
      seconds,
      rowsPerSecond: Math.round(rows / seconds),
      method: sql ? "copy" : "insert",
      triggersOff,
    };
  } finally {
    await sql?.end({ timeout: 5 });
    await paymentSql?.end({ timeout: 5 });
  }
}
