// Reads of VERI*FACTU records for the AEAT: those not yet sent, in chain order, and what a
// submission carries for each beside the chained fields (altas with their invoice's details, anulaciones).
import { and, asc, between, desc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { verifactuCertificates, verifactuRecords, workspaces } from "../../db/schema/index.ts";
import { signedInEuros, verifactuScope } from "../../domain/verifactu.ts";
import type { VerifactuRecord, VerifactuVatLine } from "../../einvoice/verifactu-submission.ts";
import { type InvoiceRow, linesByInvoice, listAltaRecordsOf, listInvoicesByIds } from "../repo.ts";

const HELD_OR_GOING = new Set<string>(["pending", "accepted", "accepted_with_errors"]);

export type VerifactuRecordRow = typeof verifactuRecords.$inferSelect;

/** The records of a workspace (one issuer, or all) waiting for the AEAT, in chain order. */
export function unsentRecords(
  db: Db,
  workspaceId: string,
  issuerNif?: string,
): Promise<VerifactuRecordRow[]> {
  return recordsInChainOrder(
    db,
    workspaceId,
    issuerNif ? eq(verifactuRecords.issuerNif, issuerNif) : undefined,
    eq(verifactuRecords.submissionStatus, "pending"),
  );
}

/** Every record of a workspace generated in these days (issuer's local dates, inclusive), in chain order. */
export function recordsGeneratedBetween(
  db: Db,
  workspaceId: string,
  period: { from: string; to: string },
): Promise<VerifactuRecordRow[]> {
  return recordsInChainOrder(
    db,
    workspaceId,
    between(sql`substring(${verifactuRecords.generatedAt} from 1 for 10)`, period.from, period.to),
  );
}

function recordsInChainOrder(
  db: Db,
  workspaceId: string,
  ...conditions: (SQL | undefined)[]
): Promise<VerifactuRecordRow[]> {
  return db
    .select()
    .from(verifactuRecords)
    .where(and(eq(verifactuRecords.workspaceId, workspaceId), ...conditions))
    .orderBy(asc(verifactuRecords.issuerNif), asc(verifactuRecords.sequence));
}

/** The latest alta of an invoice number, locked until the transaction ends (a correction's start). */
export async function lockLatestAlta(
  tx: Db,
  workspaceId: string,
  seriesNumber: string,
): Promise<VerifactuRecordRow | undefined> {
  const [latest] = await tx
    .select()
    .from(verifactuRecords)
    .where(
      and(
        eq(verifactuRecords.workspaceId, workspaceId),
        eq(verifactuRecords.seriesNumber, seriesNumber),
        eq(verifactuRecords.kind, "alta"),
      ),
    )
    .orderBy(desc(verifactuRecords.sequence))
    .limit(1)
    .for("update");
  return latest;
}

/** A record a correction replaces gives way: marked corrected. */
export async function markRecordCorrected(tx: Db, recordId: string): Promise<void> {
  await tx
    .update(verifactuRecords)
    .set({ submissionStatus: "corrected" })
    .where(eq(verifactuRecords.id, recordId));
}

/** A correction's record names the one it corrects and whether the AEAT refused that one. */
export async function linkCorrection(
  tx: Db,
  recordId: string,
  correction: { correctsRecordId: string; rechazoPrevio: "N" | "S" },
): Promise<void> {
  await tx.update(verifactuRecords).set(correction).where(eq(verifactuRecords.id, recordId));
}

/** What a submission carries for each record (rows of one issuer), and the issuer's name. */
export async function submissionRecords(
  db: Db,
  workspaceId: string,
  rows: readonly VerifactuRecordRow[],
): Promise<{ issuerName: string; records: VerifactuRecord[] }> {
  const previousHashes = rows.flatMap((r) => (r.previousHash ? [r.previousHash] : []));
  const previousRows = await db
    .select()
    .from(verifactuRecords)
    .where(
      and(eq(verifactuRecords.workspaceId, workspaceId), inArray(verifactuRecords.hash, previousHashes)),
    );
  const byHash = new Map(previousRows.map((r) => [r.hash, r]));
  const invoiceIds = [...new Set(rows.map((r) => r.invoiceId))];
  const cancelled = rows.flatMap((r) => (r.kind === "anulacion" ? [r.invoiceId] : []));
  const [invoiceRows, lines, cancelledAltas] = await Promise.all([
    listInvoicesByIds(db, workspaceId, invoiceIds),
    linesByInvoice(db, workspaceId, invoiceIds),
    cancelled.length > 0 ? listAltaRecordsOf(db, cancelled) : [],
  ]);
  // The AEAT holds an invoice's alta once one was accepted, or will once a waiting one goes (chain
  // order); when every alta was refused it holds none, and the anulación says so (SinRegistroPrevio).
  const heldAltas = new Set(
    cancelledAltas.flatMap((a) => (HELD_OR_GOING.has(a.submissionStatus) ? [a.invoiceId] : [])),
  );
  const corrected = await listInvoicesByIds(
    db,
    workspaceId,
    invoiceRows.flatMap((i) => (i.correctsInvoiceId ? [i.correctsInvoiceId] : [])),
  );
  const invoiceOf = new Map([...invoiceRows, ...corrected].map((i) => [i.id, i]));

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
      issuerNif: row.issuerNif,
      seriesNumber: row.seriesNumber,
      issueDate: row.issueDate,
      hashInput: row.hashInput,
      hash: row.hash,
      generatedAt: row.generatedAt,
      previous,
      invoiceId: invoice.id,
    };
    if (row.kind === "anulacion")
      return { kind: "anulacion", ...identity, sinRegistroPrevio: !heldAltas.has(row.invoiceId) };
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
          ? { issuerNif: row.issuerNif, seriesNumber: original.number, issueDate: original.issueDate }
          : null,
      // Por sustitución the record states the invoice as corrected: the original less this note.
      vatLines: substitution ? substitutedLines(original, originalEur, vatLines) : vatLines,
      correction: row.correctsRecordId ? { rechazoPrevio: row.rechazoPrevio ?? "N" } : undefined,
    };
  });
  const issuerName = invoiceOf.get(rows[0]?.invoiceId ?? "")?.seller?.legalName ?? rows[0]?.issuerNif ?? "";
  return { issuerName, records };
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

/** The issuers (of one workspace, or all) that have records waiting for the AEAT. */
export function issuersWithUnsentRecords(
  db: Db,
  workspaceId?: string,
): Promise<{ workspaceId: string; issuerNif: string }[]> {
  return db
    .selectDistinct({ workspaceId: verifactuRecords.workspaceId, issuerNif: verifactuRecords.issuerNif })
    .from(verifactuRecords)
    .where(
      and(
        workspaceId ? eq(verifactuRecords.workspaceId, workspaceId) : undefined,
        eq(verifactuRecords.submissionStatus, "pending"),
      ),
    );
}

/** The workspaces that have VERI*FACTU records or a certificate for the AEAT. */
export function workspacesUsingVerifactu(db: Db): Promise<{ id: string; name: string }[]> {
  return db
    .select({ id: workspaces.id, name: workspaces.name })
    .from(workspaces)
    .where(
      or(
        sql`exists (select 1 from ${verifactuRecords} where ${eq(verifactuRecords.workspaceId, workspaces.id)})`,
        sql`exists (select 1 from ${verifactuCertificates} where ${eq(verifactuCertificates.workspaceId, workspaces.id)})`,
      ),
    );
}

/** A workspace's sealed AEAT certificate, if one is imported. */
export async function findCertificate(db: Db, workspaceId: string) {
  const [row] = await db
    .select()
    .from(verifactuCertificates)
    .where(eq(verifactuCertificates.workspaceId, workspaceId));
  return row;
}

/** Keeps a workspace's sealed AEAT certificate (replacing the one before). */
export async function saveCertificate(
  db: Db,
  workspaceId: string,
  certificate: { sealed: string; subject: string; notAfter: Date; fingerprint: string },
): Promise<void> {
  await db
    .insert(verifactuCertificates)
    .values({ workspaceId, ...certificate })
    .onConflictDoUpdate({ target: verifactuCertificates.workspaceId, set: certificate });
}
