// The VERI*FACTU records still waiting to go to the AEAT, or all those of a period, as submission
// bodies (one per issuer NIF and 1,000 records, in chain order, altas and anulaciones). Sending them (SOAP with the taxpayer's certificate) is not
// built; this is what would be sent, and nothing is marked as submitted.
import { and, asc, between, eq, inArray, sql } from "drizzle-orm";
import type { ServiceDeps } from "../context.ts";
import { type InvoiceRow, linesByInvoice, listInvoicesByIds } from "../db/repos/invoices.ts";
import { verifactuRecords } from "../db/schema/index.ts";
import { verifactuScope } from "../domain/verifactu.ts";
import {
  buildVerifactuSubmission,
  VERIFACTU_MAX_RECORDS,
  type VerifactuRecord,
  type VerifactuVatLine,
} from "../einvoice/verifactu-submission.ts";
import { signedInEuros } from "./append-verifactu-record.ts";

export type VerifactuSubmission = { issuerNif: string; records: number; xml: string };

export async function exportVerifactuSubmissions(
  deps: Pick<ServiceDeps, "db">,
  input: {
    workspaceId: string;
    version: string;
    /** Who runs this Cobro for others; a self-hosted Cobro is its operator's own system. */
    producer?: { name: string; nif: string } | undefined;
    /** Every record generated in these days (issuer's local dates, inclusive); else the unsent ones. */
    period?: { from: string; to: string } | undefined;
  },
): Promise<VerifactuSubmission[]> {
  const pending = await deps.db
    .select()
    .from(verifactuRecords)
    .where(
      and(
        eq(verifactuRecords.workspaceId, input.workspaceId),
        input.period
          ? between(
              sql`substring(${verifactuRecords.generatedAt} from 1 for 10)`,
              input.period.from,
              input.period.to,
            )
          : eq(verifactuRecords.submissionStatus, "pending"),
      ),
    )
    .orderBy(asc(verifactuRecords.issuerNif), asc(verifactuRecords.sequence));
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
  const invoiceIds = [...new Set(pending.map((r) => r.invoiceId))];
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
    const records = rows.map((row): VerifactuRecord => {
      const invoice = invoiceOf.get(row.invoiceId);
      if (!invoice?.seller || !invoice.buyer)
        throw new Error(`invoice ${row.invoiceId} of a record is missing`);
      const previousRow = row.previousHash ? byHash.get(row.previousHash) : undefined;
      if (row.previousHash && !previousRow) throw new Error(`record before ${row.seriesNumber} not found`);
      const previous = previousRow
        ? {
            issuerNif: previousRow.issuerNif,
            seriesNumber: previousRow.seriesNumber,
            issueDate: previousRow.issueDate,
            hash: previousRow.hash,
          }
        : null;
      const identity = {
        issuerNif,
        seriesNumber: row.seriesNumber,
        issueDate: row.issueDate,
        hashInput: row.hashInput,
        hash: row.hash,
        generatedAt: row.generatedAt,
        previous,
        invoiceId: invoice.id,
      };
      if (row.kind === "anulacion") return { kind: "anulacion", ...identity };
      const eur = {
        kind: invoice.kind,
        currency: invoice.currency.trim(),
        eurRate: invoice.exchangeRate ?? undefined,
      };
      const original = invoice.correctsInvoiceId ? invoiceOf.get(invoice.correctsInvoiceId) : undefined;
      const originalEur = original && {
        kind: original.kind,
        currency: original.currency.trim(),
        eurRate: original.exchangeRate ?? undefined,
      };
      const vatLines = invoice.vatBreakdown.map((line) => ({
        category: line.category,
        rateBp: line.rateBp,
        baseCents: signedInEuros(eur, line.baseMinor),
        vatCents: signedInEuros(eur, line.vatMinor),
      }));
      const substitution = row.rectificationType === "S" && original && originalEur;
      return {
        kind: "alta",
        ...identity,
        invoiceType: row.invoiceType,
        rectificationType: row.rectificationType,
        replaced: substitution
          ? {
              baseCents: signedInEuros(originalEur, original.subtotalMinor),
              vatCents: signedInEuros(originalEur, original.vatMinor),
            }
          : null,
        canarias: verifactuScope(invoice.seller).applies && invoice.seller.taxTerritory === "canarias",
        placeOfSupplyAbroad: invoice.kind !== "interest_note" && invoice.buyer.country.toUpperCase() !== "ES",
        description: [...new Set((lines.get(invoice.id) ?? []).map((l) => l.description))].join("; "),
        recipient: invoice.buyer.taxId
          ? { name: invoice.buyer.name, country: invoice.buyer.country, taxId: invoice.buyer.taxId }
          : null,
        corrects:
          original?.number && original.issueDate
            ? { issuerNif, seriesNumber: original.number, issueDate: original.issueDate }
            : null,
        // Por sustitución the record states the invoice as corrected: the original less this note.
        vatLines: substitution ? substitutedLines(original, originalEur, vatLines) : vatLines,
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

/** The original's VAT lines less the credited ones (negative), rate by rate. */
function substitutedLines(
  original: InvoiceRow,
  eur: { kind: string; currency: string; eurRate?: string | undefined },
  credited: VerifactuVatLine[],
): VerifactuVatLine[] {
  return original.vatBreakdown.map((line) => {
    const less = credited.filter((c) => c.category === line.category && c.rateBp === line.rateBp);
    return {
      category: line.category,
      rateBp: line.rateBp,
      baseCents: signedInEuros(eur, line.baseMinor) + less.reduce((sum, c) => sum + c.baseCents, 0),
      vatCents: signedInEuros(eur, line.vatMinor) + less.reduce((sum, c) => sum + c.vatCents, 0),
    };
  });
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
