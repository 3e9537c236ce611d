// Appends VERI*FACTU records (an invoice's alta, a cancellation's anulación) to the issuer's chain: steps
// of the verbs that issue, cancel and correct, run inside their transaction (the chain row lock
// serialises all series of a NIF).

import { createHash } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { verifactuChains, verifactuRecords } from "../../db/schema/index.ts";
import { DomainError, present } from "../../domain/errors.ts";
import {
  type AltaRecordInput,
  aeatTimestamp,
  altaHashInput,
  anulacionHashInput,
  type InvoiceType,
  type PreviousRecord,
  signedInEuros,
  type VerifactuTimeZone,
} from "../../domain/verifactu.ts";

export type VerifactuInvoice = {
  workspaceId: string;
  invoiceId: string;
  issuerNif: string;
  issuerName: string;
  seriesNumber: string;
  issueDate: string;
  kind: "invoice" | "credit_note" | "interest_note" | "deposit";
  vatMinor: number;
  totalMinor: number;
  currency: string;
  /** 1 unit of `currency` = eurRate EUR (the rate frozen at issue); required unless currency is EUR. */
  eurRate?: string;
  /** The issuer's zone for FechaHoraHusoGenRegistro (Atlantic/Canary in the Canaries); Madrid by default. */
  timeZone?: VerifactuTimeZone;
  /** F1 for an invoice, R4 for a credit note unless the correction says otherwise. */
  invoiceType?: InvoiceType;
  /** Rectificativas: I (por diferencias, the default) or S (por sustitución: amounts as corrected). */
  rectificationType?: "I" | "S";
};

/** A cancellation of an earlier alta (the invoice was never handed over). */
export type VerifactuCancellation = {
  workspaceId: string;
  invoiceId: string;
  issuerNif: string;
  seriesNumber: string;
  issueDate: string;
  invoiceType: string;
  timeZone?: VerifactuTimeZone;
};

/** A cancellation's anulación, chained like an alta. */
export async function appendAnulacionRecord(tx: Db, cancellation: VerifactuCancellation, now: Date) {
  const [row] = await appendChainRecords(tx, [{ anulacion: cancellation }], now);
  return present(row, "appended anulación");
}

export async function appendVerifactuRecord(tx: Db, invoice: VerifactuInvoice, now: Date) {
  const [row] = await appendVerifactuRecords(tx, [invoice], now);
  return present(row, "appended record");
}

/** Appends the records of several invoices of one issuer, in the given order, under one chain lock. */
export function appendVerifactuRecords(tx: Db, list: VerifactuInvoice[], now: Date) {
  return appendChainRecords(
    tx,
    list.map((invoice) => ({ alta: invoice })),
    now,
  );
}

type ChainEntry = { alta: VerifactuInvoice } | { anulacion: VerifactuCancellation };

async function appendChainRecords(tx: Db, entries: ChainEntry[], now: Date) {
  const subjects = entries.map((e) => ("alta" in e ? e.alta : e.anulacion));
  const first = subjects[0];
  if (!first) return [];
  if (subjects.some((i) => i.issuerNif !== first.issuerNif || i.workspaceId !== first.workspaceId)) {
    throw new Error("appendVerifactuRecords takes the invoices of one issuer");
  }
  await tx
    .insert(verifactuChains)
    .values({ workspaceId: first.workspaceId, issuerNif: first.issuerNif })
    .onConflictDoNothing();
  const [chain] = await tx
    .select()
    .from(verifactuChains)
    .where(
      and(eq(verifactuChains.workspaceId, first.workspaceId), eq(verifactuChains.issuerNif, first.issuerNif)),
    )
    .for("update");
  if (!chain) throw new Error("verifactu chain row missing after insert");
  // Art. 7: never generate a record timed before the previous one (clock skew ≤ 1 minute).
  if (chain.lastGeneratedAt && chain.lastGeneratedAt.getTime() > now.getTime() + 60_000) {
    throw new DomainError("verifactu.clock", "the last VERI*FACTU record is later than now", {
      userMessage:
        "The server clock is behind the last VERI*FACTU record by more than a minute: fix the clock before issuing Spanish invoices.",
    });
  }
  let previous: PreviousRecord | null =
    chain.lastHash && chain.lastSeriesNumber && chain.lastIssueDate
      ? {
          issuerNif: first.issuerNif,
          seriesNumber: chain.lastSeriesNumber,
          issueDate: chain.lastIssueDate,
          hash: chain.lastHash,
        }
      : null;
  let sequence = chain.lastSequence;
  const rows = entries.map((entry) => {
    const subject = "alta" in entry ? entry.alta : entry.anulacion;
    const generatedAt = aeatTimestamp(now, subject.timeZone ?? "Europe/Madrid");
    let hashInput: string;
    let invoiceType: string;
    let rectificationType: "I" | "S" | null = null;
    if ("alta" in entry) {
      const invoice = entry.alta;
      invoiceType = invoice.invoiceType ?? (invoice.kind === "credit_note" ? "R4" : "F1");
      if (invoiceType.startsWith("R")) rectificationType = invoice.rectificationType ?? "I";
      const sign = { ...invoice, rectificationType };
      const record: AltaRecordInput = {
        issuerNif: invoice.issuerNif,
        issuerName: invoice.issuerName,
        seriesNumber: invoice.seriesNumber,
        issueDate: invoice.issueDate,
        invoiceType: invoiceType as InvoiceType,
        vatMinor: signedInEuros(sign, invoice.vatMinor),
        totalMinor: signedInEuros(sign, invoice.totalMinor),
        currency: "EUR",
        generatedAt,
        previous,
      };
      hashInput = altaHashInput(record);
    } else {
      invoiceType = entry.anulacion.invoiceType;
      hashInput = anulacionHashInput({ ...entry.anulacion, generatedAt, previous });
    }
    const hash = createHash("sha256").update(hashInput, "utf8").digest("hex").toUpperCase();
    const previousHash = previous?.hash ?? null;
    previous = {
      issuerNif: subject.issuerNif,
      seriesNumber: subject.seriesNumber,
      issueDate: subject.issueDate,
      hash,
    };
    sequence += 1;
    return {
      workspaceId: subject.workspaceId,
      invoiceId: subject.invoiceId,
      kind: "alta" in entry ? ("alta" as const) : ("anulacion" as const),
      issuerNif: subject.issuerNif,
      seriesNumber: subject.seriesNumber,
      issueDate: subject.issueDate,
      invoiceType,
      hashInput,
      hash,
      previousHash,
      generatedAt,
      sequence,
      rectificationType,
    };
  });
  const inserted = await tx.insert(verifactuRecords).values(rows).returning();
  await tx
    .update(verifactuChains)
    .set({
      lastHash: previous?.hash ?? null,
      lastSeriesNumber: previous?.seriesNumber ?? null,
      lastIssueDate: previous?.issueDate ?? null,
      lastSequence: sequence,
      lastGeneratedAt: sql`greatest(${verifactuChains.lastGeneratedAt}, ${now.toISOString()}::timestamptz)`,
    })
    .where(eq(verifactuChains.id, chain.id));
  return inserted.sort((a, b) => a.sequence - b.sequence);
}

/** The chains of a workspace (or of one issuer NIF), by NIF. */
export function listChains(db: Db, workspaceId: string, issuerNif?: string) {
  return db
    .select()
    .from(verifactuChains)
    .where(
      and(
        eq(verifactuChains.workspaceId, workspaceId),
        issuerNif ? eq(verifactuChains.issuerNif, issuerNif) : undefined,
      ),
    )
    .orderBy(asc(verifactuChains.issuerNif));
}

/** Every record of one issuer's chain, in chain order. */
export function chainRecords(db: Db, workspaceId: string, issuerNif: string) {
  return db
    .select()
    .from(verifactuRecords)
    .where(and(eq(verifactuRecords.workspaceId, workspaceId), eq(verifactuRecords.issuerNif, issuerNif)))
    .orderBy(asc(verifactuRecords.sequence));
}
