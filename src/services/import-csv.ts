// Imports clients, projects, milestones, receivables or payments from a CSV file into one workspace:
// all rows or none, in one transaction; a re-import updates instead of duplicating.
import { parse } from "csv-parse/sync";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import type { Db } from "../db/client.ts";
import { type AuditEntry, recordAudit } from "../db/repos/audit.ts";
import {
  clients,
  type InvoiceStatus,
  invoices,
  members,
  milestones,
  payments,
  projects,
  workspaces,
} from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import {
  checkHeader,
  type DecimalText,
  decimalToMinor,
  IMPORT_KINDS,
  type ImportKind,
  type ImportRowByKind,
  type RawRow,
  type RowError,
  validateImportRows,
} from "../domain/import-rows.ts";
import { toDecimalString } from "../domain/money.ts";

export type ImportCsvInput = {
  workspaceId: string;
  kind: ImportKind;
  csv: string | Uint8Array;
  decimalComma?: boolean;
  dryRun?: boolean;
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

const ACTOR = "import";

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

type Outcome = "created" | "updated" | "unchanged";
type Context = {
  tx: Db;
  workspaceId: string;
  now: Date;
  errors: RowError[];
  audit: AuditEntry[];
  membersCreated: number;
};
type Handler<K extends ImportKind> = (ctx: Context, rows: ImportRowByKind[K][]) => Promise<Outcome[]>;

const sameArray = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((v, i) => v === b[i]);

function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): string[] {
  return Object.keys(after).filter((key) => {
    const a = before[key];
    const b = after[key];
    return Array.isArray(a) && Array.isArray(b) ? !sameArray(a, b) : a !== b;
  });
}

function pick<T extends Record<string, unknown>>(row: T, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k]]));
}

function minorOrError(
  ctx: Context,
  line: number,
  column: string,
  text: DecimalText,
  currency: string,
): number | undefined {
  const result = decimalToMinor(text, currency);
  if (typeof result === "string") {
    ctx.errors.push({ line, column, message: result });
    return undefined;
  }
  return result;
}

const importClients: Handler<"clients"> = async (ctx, rows) => {
  const existing = new Map(
    (
      await ctx.tx
        .select()
        .from(clients)
        .where(
          and(
            eq(clients.workspaceId, ctx.workspaceId),
            inArray(
              clients.externalId,
              rows.map((r) => r.externalId),
            ),
          ),
        )
    ).map((c) => [c.externalId, c]),
  );
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const values = {
      name: row.name,
      profile: row.profile,
      emails: row.emails,
      currency: row.currency,
      paymentTermsDays: row.paymentTermsDays,
      language: row.language,
      taxId: row.taxId,
      country: row.country,
    };
    const found = existing.get(row.externalId);
    if (!found) {
      const [created] = await ctx.tx
        .insert(clients)
        .values({ workspaceId: ctx.workspaceId, externalId: row.externalId, ...values })
        .returning({ id: clients.id });
      ctx.audit.push(auditRow(ctx, "client.imported", "client", created!.id, null, values));
      outcomes.push("created");
      continue;
    }
    const changed = changedFields(found, values);
    if (changed.length === 0) {
      outcomes.push("unchanged");
      continue;
    }
    await ctx.tx
      .update(clients)
      .set({ ...values, updatedAt: ctx.now })
      .where(eq(clients.id, found.id));
    ctx.audit.push(
      auditRow(ctx, "client.import_updated", "client", found.id, pick(found, changed), pick(values, changed)),
    );
    outcomes.push("updated");
  }
  return outcomes;
};

async function clientsByExternalId(ctx: Context, ids: string[]) {
  if (ids.length === 0) return new Map<string, typeof clients.$inferSelect>();
  const rows = await ctx.tx
    .select()
    .from(clients)
    .where(and(eq(clients.workspaceId, ctx.workspaceId), inArray(clients.externalId, [...new Set(ids)])));
  return new Map(rows.map((c) => [c.externalId, c]));
}

async function projectsByCode(ctx: Context, codes: string[]) {
  if (codes.length === 0) return new Map<string, typeof projects.$inferSelect>();
  const rows = await ctx.tx
    .select()
    .from(projects)
    .where(
      and(
        eq(projects.workspaceId, ctx.workspaceId),
        inArray(sql`lower(${projects.code})`, [...new Set(codes.map((c) => c.toLowerCase()))]),
      ),
    );
  return new Map(rows.map((p) => [p.code.toLowerCase(), p]));
}

function auditRow(
  ctx: Context,
  action: string,
  entity: string,
  entityId: string,
  before: unknown,
  after: unknown,
): AuditEntry {
  return { workspaceId: ctx.workspaceId, actor: ACTOR, action, entity, entityId, before, after };
}

async function memberForPm(ctx: Context, email: string, cache: Map<string, string>): Promise<string> {
  const cached = cache.get(email);
  if (cached) return cached;
  const [found] = await ctx.tx
    .select()
    .from(members)
    .where(and(eq(members.workspaceId, ctx.workspaceId), eq(members.email, email)));
  let id: string;
  if (found) {
    id = found.id;
    if (!found.roles.includes("pm")) {
      await ctx.tx
        .update(members)
        .set({ roles: [...found.roles, "pm"] })
        .where(eq(members.id, found.id));
    }
  } else {
    const [created] = await ctx.tx
      .insert(members)
      .values({ workspaceId: ctx.workspaceId, email, name: email.split("@")[0] ?? email, roles: ["pm"] })
      .returning({ id: members.id });
    id = created!.id;
    ctx.membersCreated += 1;
  }
  cache.set(email, id);
  return id;
}

const importProjects: Handler<"projects"> = async (ctx, rows) => {
  const clientMap = await clientsByExternalId(
    ctx,
    rows.map((r) => r.clientExternalId),
  );
  const existing = await projectsByCode(
    ctx,
    rows.map((r) => r.code),
  );
  const pmCache = new Map<string, string>();
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const client = clientMap.get(row.clientExternalId);
    if (!client) {
      ctx.errors.push({
        line: row.line,
        column: "client_external_id",
        message: `no client "${row.clientExternalId}" in this workspace (import clients first)`,
      });
      continue;
    }
    const currency = row.currency ?? client.currency;
    const hourlyRateMinor =
      row.hourlyRate === null ? null : minorOrError(ctx, row.line, "hourly_rate", row.hourlyRate, currency);
    if (hourlyRateMinor === undefined) continue;
    const found = existing.get(row.code.toLowerCase());
    // Channel and PM are often set from Slack later: a blank cell keeps what is there.
    const values = {
      clientId: client.id,
      name: row.name,
      billingMode: row.billingMode,
      currency,
      hourlyRateMinor,
      slackChannelId: row.slackChannelId ?? found?.slackChannelId ?? null,
      pmMemberId: row.pmEmail ? await memberForPm(ctx, row.pmEmail, pmCache) : (found?.pmMemberId ?? null),
    };
    if (!found) {
      const [created] = await ctx.tx
        .insert(projects)
        .values({ workspaceId: ctx.workspaceId, code: row.code, ...values })
        .returning({ id: projects.id });
      ctx.audit.push(auditRow(ctx, "project.imported", "project", created!.id, null, values));
      outcomes.push("created");
      continue;
    }
    const changed = changedFields(found, values);
    if (changed.length === 0) {
      outcomes.push("unchanged");
      continue;
    }
    await ctx.tx
      .update(projects)
      .set({ ...values, updatedAt: ctx.now })
      .where(eq(projects.id, found.id));
    ctx.audit.push(
      auditRow(
        ctx,
        "project.import_updated",
        "project",
        found.id,
        pick(found, changed),
        pick(values, changed),
      ),
    );
    outcomes.push("updated");
  }
  return outcomes;
};

const importMilestones: Handler<"milestones"> = async (ctx, rows) => {
  const projectMap = await projectsByCode(
    ctx,
    rows.map((r) => r.projectCode),
  );
  const projectIds = [...new Set([...projectMap.values()].map((p) => p.id))];
  const existing = new Map(
    (projectIds.length === 0
      ? []
      : await ctx.tx
          .select()
          .from(milestones)
          .where(and(eq(milestones.workspaceId, ctx.workspaceId), inArray(milestones.projectId, projectIds)))
    ).map((m) => [`${m.projectId}\u0000${m.name.toLowerCase()}`, m]),
  );
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const project = projectMap.get(row.projectCode.toLowerCase());
    if (!project) {
      ctx.errors.push({
        line: row.line,
        column: "project_code",
        message: `no project "${row.projectCode}" in this workspace (import projects first)`,
      });
      continue;
    }
    const amountMinor = minorOrError(ctx, row.line, "amount", row.amount, project.currency);
    if (amountMinor === undefined) continue;
    const found = existing.get(`${project.id}\u0000${row.name.toLowerCase()}`);
    if (!found) {
      const values = {
        name: row.name,
        amountMinor,
        currency: project.currency,
        plannedDate: row.plannedDate,
        status: row.status,
        doneAt: row.status === "done" ? ctx.now : null,
      };
      const [created] = await ctx.tx
        .insert(milestones)
        .values({ workspaceId: ctx.workspaceId, projectId: project.id, ...values })
        .returning({ id: milestones.id });
      ctx.audit.push(auditRow(ctx, "milestone.imported", "milestone", created!.id, null, values));
      outcomes.push("created");
      continue;
    }
    // A file only moves a milestone forward: one marked done in Slack stays done on re-import.
    const status = found.status === "planned" ? row.status : found.status;
    const values = { amountMinor, currency: project.currency, plannedDate: row.plannedDate, status };
    const changed = changedFields(found, values);
    if (changed.length === 0) {
      outcomes.push("unchanged");
      continue;
    }
    if (found.status === "invoiced" && (changed.includes("amountMinor") || changed.includes("currency"))) {
      ctx.errors.push({
        line: row.line,
        column: "amount",
        message: `milestone "${found.name}" is already invoiced at ${toDecimalString(found.amountMinor, found.currency)} ${found.currency}; its amount cannot change`,
      });
      continue;
    }
    await ctx.tx
      .update(milestones)
      .set({
        ...values,
        doneAt: status === "done" && found.status === "planned" ? ctx.now : found.doneAt,
        updatedAt: ctx.now,
      })
      .where(eq(milestones.id, found.id));
    ctx.audit.push(
      auditRow(
        ctx,
        "milestone.import_updated",
        "milestone",
        found.id,
        pick(found, changed),
        pick(values, changed),
      ),
    );
    outcomes.push("updated");
  }
  return outcomes;
};

export function statusForOpen(totalMinor: number, openMinor: number): InvoiceStatus {
  if (openMinor === 0) return "paid";
  return openMinor === totalMinor ? "issued" : "partially_paid";
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

const COLUMN_OF: Record<string, string> = {
  clientId: "client_external_id",
  currency: "currency",
  issueDate: "issue_date",
  dueDate: "due_date",
  totalMinor: "total",
};

const importInvoices: Handler<"invoices"> = async (ctx, rows) => {
  const clientMap = await clientsByExternalId(
    ctx,
    rows.map((r) => r.clientExternalId),
  );
  const projectMap = await projectsByCode(
    ctx,
    rows.flatMap((r) => (r.projectCode ? [r.projectCode] : [])),
  );
  const existing = new Map(
    (
      await ctx.tx
        .select()
        .from(invoices)
        .where(
          and(
            eq(invoices.workspaceId, ctx.workspaceId),
            inArray(
              invoices.number,
              rows.map((r) => r.number),
            ),
          ),
        )
    ).map((i) => [i.number!, i]),
  );
  const paidByInvoice = new Map(
    (existing.size === 0
      ? []
      : await ctx.tx
          .select({ invoiceId: payments.invoiceId, paid: sql<string>`sum(${payments.amountMinor})::text` })
          .from(payments)
          .where(
            and(
              eq(payments.workspaceId, ctx.workspaceId),
              inArray(
                payments.invoiceId,
                [...existing.values()].map((i) => i.id),
              ),
            ),
          )
          .groupBy(payments.invoiceId)
    ).map((p) => [p.invoiceId, Number(p.paid)]),
  );
  const [workspace] = await ctx.tx
    .select({ seller: workspaces.seller })
    .from(workspaces)
    .where(eq(workspaces.id, ctx.workspaceId));
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const client = clientMap.get(row.clientExternalId);
    if (!client) {
      ctx.errors.push({
        line: row.line,
        column: "client_external_id",
        message: `no client "${row.clientExternalId}" in this workspace (import clients first)`,
      });
      continue;
    }
    const project = row.projectCode ? projectMap.get(row.projectCode.toLowerCase()) : undefined;
    if (row.projectCode && !project) {
      ctx.errors.push({
        line: row.line,
        column: "project_code",
        message: `no project "${row.projectCode}" in this workspace (import projects first)`,
      });
      continue;
    }
    if (project && project.clientId !== client.id) {
      ctx.errors.push({
        line: row.line,
        column: "project_code",
        message: `project "${project.code}" belongs to another client than "${client.externalId}"`,
      });
      continue;
    }
    const found = existing.get(row.number);
    if (found && found.external !== "import") {
      ctx.errors.push({
        line: row.line,
        column: "number",
        message: `invoice ${row.number} was issued in Cobro; issued invoices cannot be changed by an import`,
      });
      continue;
    }
    const paid = found ? (paidByInvoice.get(found.id) ?? 0) : 0;
    if (found && paid > 0 && found.currency !== row.currency) {
      ctx.errors.push({
        line: row.line,
        column: "currency",
        message: `invoice ${row.number} already has payments in ${found.currency}`,
      });
      continue;
    }
    const openMinor = row.openMinor - paid;
    if (openMinor < 0) {
      ctx.errors.push({
        line: row.line,
        column: row.openMinor === row.totalMinor ? "total" : "open_amount",
        message: `payments of ${toDecimalString(paid, row.currency)} ${row.currency} are already recorded for invoice ${row.number}, more than this amount`,
      });
      continue;
    }
    const values = {
      clientId: client.id,
      projectId: project?.id ?? null,
      currency: row.currency,
      issueDate: row.issueDate,
      dueDate: row.dueDate,
      totalMinor: row.totalMinor,
      openMinor,
      status: statusForOpen(row.totalMinor, openMinor),
    };
    if (!found) {
      const [created] = await ctx.tx
        .insert(invoices)
        .values({
          workspaceId: ctx.workspaceId,
          kind: "invoice",
          number: row.number,
          external: "import",
          // The other system knows the VAT split; the receivable is what Cobro chases.
          subtotalMinor: row.totalMinor,
          paymentTermsDays: daysBetween(row.issueDate, row.dueDate),
          issuedAt: new Date(`${row.issueDate}T00:00:00Z`),
          seller: workspace?.seller ?? null,
          buyer: {
            name: client.name,
            country: client.country,
            emails: client.emails,
            language: client.language,
            profile: client.profile,
            ...(client.taxId ? { taxId: client.taxId } : {}),
            ...(client.address ? { address: client.address } : {}),
          },
          ...values,
        })
        .returning({ id: invoices.id });
      ctx.audit.push(
        auditRow(ctx, "invoice.imported", "invoice", created!.id, null, { number: row.number, ...values }),
      );
      outcomes.push("created");
      continue;
    }
    const changed = changedFields(found, values);
    if (changed.length === 0) {
      outcomes.push("unchanged");
      continue;
    }
    // An issued invoice is a legal document (the database enforces it): only its settlement state
    // and project link may follow the file; anything else is corrected with a credit note.
    const frozen = changed.filter((field) => !["openMinor", "status", "projectId"].includes(field));
    if (frozen.length > 0) {
      for (const field of frozen) {
        ctx.errors.push({
          line: row.line,
          column: COLUMN_OF[field] ?? field,
          message: `differs from invoice ${row.number} already imported (${String(found[field as keyof typeof found])}); an issued invoice cannot change, correct it with a credit note`,
        });
      }
      continue;
    }
    await ctx.tx
      .update(invoices)
      .set({
        openMinor: values.openMinor,
        status: values.status,
        projectId: values.projectId,
        updatedAt: ctx.now,
      })
      .where(eq(invoices.id, found.id));
    ctx.audit.push(
      auditRow(
        ctx,
        "invoice.import_updated",
        "invoice",
        found.id,
        pick(found, changed),
        pick(values, changed),
      ),
    );
    outcomes.push("updated");
  }
  return outcomes;
};

const PAYABLE: readonly InvoiceStatus[] = ["issued", "partially_paid", "paid"];

const importPayments: Handler<"payments"> = async (ctx, rows) => {
  const found = await ctx.tx
    .select()
    .from(invoices)
    .where(
      and(
        eq(invoices.workspaceId, ctx.workspaceId),
        inArray(invoices.number, [...new Set(rows.map((r) => r.invoiceNumber))]),
      ),
    );
  const invoiceMap = new Map(found.map((i) => [i.number!, { ...i }]));
  const occurrences = new Map<string, number>();
  const keyed = rows.map((row) => {
    const invoice = invoiceMap.get(row.invoiceNumber);
    const amountMinor = invoice
      ? decimalToMinor(row.amount, invoice.currency)
      : decimalToMinor(row.amount, "CLF");
    const base = `import:${row.invoiceNumber}:${row.paidOn}:${String(amountMinor)}:${row.reference ?? ""}`;
    // Two identical payments in one file are both real: the occurrence keeps their keys apart.
    const n = (occurrences.get(base) ?? 0) + 1;
    occurrences.set(base, n);
    return { row, invoice, amountMinor, dedupeKey: `${base}#${n}` };
  });
  const known = new Set(
    (
      await ctx.tx
        .select({ key: payments.dedupeKey })
        .from(payments)
        .where(
          and(
            eq(payments.workspaceId, ctx.workspaceId),
            inArray(
              payments.dedupeKey,
              keyed.map((k) => k.dedupeKey),
            ),
          ),
        )
    ).map((p) => p.key),
  );
  const outcomes: Outcome[] = [];
  for (const { row, invoice, amountMinor, dedupeKey } of keyed) {
    if (!invoice) {
      ctx.errors.push({
        line: row.line,
        column: "invoice_number",
        message: `no invoice "${row.invoiceNumber}" in this workspace (import invoices first)`,
      });
      continue;
    }
    if (row.currency && row.currency !== invoice.currency) {
      ctx.errors.push({
        line: row.line,
        column: "currency",
        message: `invoice ${invoice.number} is in ${invoice.currency}, not ${row.currency}`,
      });
      continue;
    }
    if (typeof amountMinor === "string") {
      ctx.errors.push({ line: row.line, column: "amount", message: amountMinor });
      continue;
    }
    if (known.has(dedupeKey)) {
      outcomes.push("unchanged");
      continue;
    }
    if (!PAYABLE.includes(invoice.status)) {
      ctx.errors.push({
        line: row.line,
        column: "invoice_number",
        message: `invoice ${invoice.number} is ${invoice.status} and cannot receive payments`,
      });
      continue;
    }
    if (amountMinor > invoice.openMinor) {
      ctx.errors.push({
        line: row.line,
        column: "amount",
        message: `${toDecimalString(amountMinor, invoice.currency)} ${invoice.currency} is more than the ${toDecimalString(invoice.openMinor, invoice.currency)} ${invoice.currency} still open on invoice ${invoice.number}`,
      });
      continue;
    }
    const [payment] = await ctx.tx
      .insert(payments)
      .values({
        workspaceId: ctx.workspaceId,
        invoiceId: invoice.id,
        amountMinor,
        currency: invoice.currency,
        paidOn: row.paidOn,
        method: row.method,
        reference: row.reference,
        dedupeKey,
      })
      .returning({ id: payments.id });
    const before = { openMinor: invoice.openMinor, status: invoice.status };
    invoice.openMinor -= amountMinor;
    invoice.status = statusForOpen(invoice.totalMinor, invoice.openMinor);
    const after = { openMinor: invoice.openMinor, status: invoice.status };
    await ctx.tx
      .update(invoices)
      .set({ ...after, updatedAt: ctx.now })
      .where(eq(invoices.id, invoice.id));
    ctx.audit.push(
      auditRow(ctx, "payment.imported", "payment", payment!.id, null, {
        invoiceNumber: invoice.number,
        amountMinor,
        currency: invoice.currency,
        paidOn: row.paidOn,
      }),
      auditRow(ctx, "invoice.payment_recorded", "invoice", invoice.id, before, after),
    );
    known.add(dedupeKey);
    outcomes.push("created");
  }
  return outcomes;
};

const handlers: { [K in ImportKind]: Handler<K> } = {
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
