// The VERI*FACTU records still waiting to go to the AEAT, as submission bodies (one per issuer NIF
// and 1,000 records, in chain order). Sending them (SOAP with the taxpayer's certificate) is not
// built; this is what would be sent, and nothing is marked as submitted.
import { and, asc, eq, inArray } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { linesByInvoice, listInvoicesByIds } from "../db/repos/invoices.ts";
import { verifactuRecords } from "../db/schema/index.ts";
import {
  buildVerifactuSubmission,
  VERIFACTU_MAX_RECORDS,
  type VerifactuAltaRecord,
} from "../einvoice/verifactu-submission.ts";
import { signedInEuros } from "./append-verifactu-record.ts";

type RecordRow = typeof verifactuRecords.$inferSelect;
export type VerifactuSubmission = { issuerNif: string; records: number; xml: string };

export async function exportVerifactuSubmissions(
  deps: Pick<ServiceDeps, "db">,
  input: {
    workspaceId: string;
    version: string;
    /** Who runs this Cobro for others; a self-hosted Cobro is its operator's own system. */
    producer?: { name: string; nif: string } | undefined;
  },
): Promise<VerifactuSubmission[]> {
  const pending = await deps.db
    .select()
    .from(verifactuRecords)
    .where(
      and(
        eq(verifactuRecords.workspaceId, input.workspaceId),
        eq(verifactuRecords.submissionStatus, "pending"),
        eq(verifactuRecords.kind, "alta"),
      ),
    )
    .orderBy(asc(verifactuRecords.createdAt));
  if (pending.length === 0) return [];
  const previousHashes = pending.flatMap((r) => (r.previousHash ? [r.previousHash] : []));
  const previousRows = await deps.db
    .select()
    .from(verifactuRecords)
    .where(
      and(
        eq(verifactuRecords.workspaceId, input.workspaceId),
        inArray(verifactuRecords.hash, previousHashes),
      ),
    );
  const byHash = new Map(previousRows.map((r) => [r.hash, r]));
  const invoiceIds = pending.map((r) => r.invoiceId);
  const [invoiceRows, lines] = await Promise.all([
    listInvoicesByIds(deps.db, input.workspaceId, invoiceIds),
    linesByInvoice(deps.db, input.workspaceId, invoiceIds),
  ]);
  const corrected = await listInvoicesByIds(
    deps.db,
    input.workspaceId,
    invoiceRows.flatMap((i) => (i.correctsInvoiceId ? [i.correctsInvoiceId] : [])),
  );
  const invoiceOf = new Map([...invoiceRows, ...corrected].map((i) => [i.id, i]));

  const submissions: VerifactuSubmission[] = [];
  for (const [issuerNif, rows] of groupBy(pending, (r) => r.issuerNif)) {
    const records = chainOrder(rows).map((row): VerifactuAltaRecord => {
      const invoice = invoiceOf.get(row.invoiceId);
      if (!invoice?.seller || !invoice.buyer)
        throw new Error(`invoice ${row.invoiceId} of a record is missing`);
      const eur = {
        kind: invoice.kind,
        currency: invoice.currency.trim(),
        eurRate: invoice.exchangeRate ?? undefined,
      };
      const original = invoice.correctsInvoiceId ? invoiceOf.get(invoice.correctsInvoiceId) : undefined;
      const previous = row.previousHash ? byHash.get(row.previousHash) : undefined;
      if (row.previousHash && !previous) throw new Error(`record before ${row.seriesNumber} not found`);
      return {
        issuerNif,
        seriesNumber: row.seriesNumber,
        issueDate: row.issueDate,
        invoiceType: row.invoiceType,
        hashInput: row.hashInput,
        hash: row.hash,
        generatedAt: row.generatedAt,
        previous: previous
          ? {
              issuerNif: previous.issuerNif,
              seriesNumber: previous.seriesNumber,
              issueDate: previous.issueDate,
              hash: previous.hash,
            }
          : null,
        invoiceId: invoice.id,
        description: [...new Set((lines.get(invoice.id) ?? []).map((l) => l.description))].join("; "),
        recipient: invoice.buyer.taxId
          ? { name: invoice.buyer.name, country: invoice.buyer.country, taxId: invoice.buyer.taxId }
          : null,
        corrects:
          original?.number && original.issueDate
            ? { issuerNif, seriesNumber: original.number, issueDate: original.issueDate }
            : null,
        vatLines: invoice.vatBreakdown.map((row) => ({
          category: row.category,
          rateBp: row.rateBp,
          baseCents: signedInEuros(eur, row.baseMinor),
          vatCents: signedInEuros(eur, row.vatMinor),
        })),
      };
    });
    const issuerName = invoiceOf.get(rows[0]?.invoiceId ?? "")?.seller?.legalName ?? issuerNif;
    for (let i = 0; i < records.length; i += VERIFACTU_MAX_RECORDS) {
      const batch = records.slice(i, i + VERIFACTU_MAX_RECORDS);
      submissions.push({
        issuerNif,
        records: batch.length,
        xml: buildVerifactuSubmission({
          issuer: { name: issuerName, nif: issuerNif },
          system: {
            producerName: input.producer?.name ?? issuerName,
            producerNif: input.producer?.nif ?? issuerNif,
            version: input.version,
            installation: input.workspaceId,
          },
          records: batch,
        }),
      });
    }
  }
  return submissions;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** Records in the order they were chained: each one after the record whose hash it carries. */
function chainOrder(rows: RecordRow[]): RecordRow[] {
  const byPrevious = new Map(rows.flatMap((r) => (r.previousHash ? [[r.previousHash, r] as const] : [])));
  const hashes = new Set(rows.map((r) => r.hash));
  const ordered: RecordRow[] = [];
  let next = rows.find((r) => !r.previousHash || !hashes.has(r.previousHash));
  while (next) {
    ordered.push(next);
    next = byPrevious.get(next.hash);
  }
  if (ordered.length !== rows.length) throw new Error("VERI*FACTU records do not form one chain");
  return ordered;
}
