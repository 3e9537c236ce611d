// Appends the VERI*FACTU "alta" record of an invoice being issued, chained to the issuer's last
// record. Call it inside the issuing transaction: the chain row lock serialises all series of a NIF.
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { verifactuChains, verifactuRecords } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import { convert, parseAmount } from "../domain/money.ts";
import {
  type AltaRecordInput,
  altaHashInput,
  madridTimestamp,
  verificationUrl,
} from "../domain/verifactu.ts";

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
};

/** VERI*FACTU applies to invoices issued by a Spanish seller with a NIF. */
export function verifactuApplies(
  seller: { nif?: string; address?: { country?: string } } | null | undefined,
): boolean {
  return Boolean(seller?.nif) && seller?.address?.country === "ES";
}

export async function appendVerifactuRecord(tx: Db, invoice: VerifactuInvoice, now: Date) {
  const [row] = await appendVerifactuRecords(tx, [invoice], now);
  return row!;
}

/** Appends the records of several invoices of one issuer, in the given order, under one chain lock. */
export async function appendVerifactuRecords(tx: Db, list: VerifactuInvoice[], now: Date) {
  const first = list[0];
  if (!first) return [];
  if (list.some((i) => i.issuerNif !== first.issuerNif || i.workspaceId !== first.workspaceId)) {
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
  let previous =
    chain.lastHash && chain.lastSeriesNumber && chain.lastIssueDate
      ? {
          issuerNif: first.issuerNif,
          seriesNumber: chain.lastSeriesNumber,
          issueDate: chain.lastIssueDate,
          hash: chain.lastHash,
        }
      : null;
  const generatedAt = madridTimestamp(now);
  const rows = list.map((invoice) => {
    const record: AltaRecordInput = {
      issuerNif: invoice.issuerNif,
      issuerName: invoice.issuerName,
      seriesNumber: invoice.seriesNumber,
      issueDate: invoice.issueDate,
      invoiceType: invoice.kind === "credit_note" ? "R4" : "F1",
      vatMinor: signedInEuros(invoice, invoice.vatMinor),
      totalMinor: signedInEuros(invoice, invoice.totalMinor),
      currency: "EUR",
      generatedAt,
      previous,
    };
    const hashInput = altaHashInput(record);
    const hash = createHash("sha256").update(hashInput, "utf8").digest("hex").toUpperCase();
    previous = {
      issuerNif: invoice.issuerNif,
      seriesNumber: invoice.seriesNumber,
      issueDate: invoice.issueDate,
      hash,
    };
    return {
      workspaceId: invoice.workspaceId,
      invoiceId: invoice.invoiceId,
      kind: "alta" as const,
      issuerNif: invoice.issuerNif,
      seriesNumber: invoice.seriesNumber,
      issueDate: invoice.issueDate,
      invoiceType: record.invoiceType,
      hashInput,
      hash,
      previousHash: record.previous?.hash ?? null,
      generatedAt,
    };
  });
  const inserted = await tx.insert(verifactuRecords).values(rows).returning();
  const last = list.at(-1) ?? first;
  await tx
    .update(verifactuChains)
    .set({
      lastHash: previous?.hash ?? null,
      lastSeriesNumber: last.seriesNumber,
      lastIssueDate: last.issueDate,
      lastGeneratedAt: sql`greatest(${verifactuChains.lastGeneratedAt}, ${now.toISOString()}::timestamptz)`,
    })
    .where(eq(verifactuChains.id, chain.id));
  return inserted;
}

/**
 * An amount as the AEAT records it: in euros, converted at the rate of the invoice's issue, and
 * negative on a credit note (a rectificativa "por diferencias" that reduces what was invoiced).
 */
export function signedInEuros(
  invoice: { kind: string; currency: string; eurRate?: string | undefined },
  amountMinor: number,
): number {
  const sign = invoice.kind === "credit_note" ? -1 : 1;
  if (invoice.currency === "EUR") return sign * amountMinor;
  if (!invoice.eurRate) throw noEuroRate(invoice.currency);
  return sign * convert(amountMinor, invoice.currency, "EUR", invoice.eurRate);
}

export function noEuroRate(currency: string): DomainError {
  return new DomainError("verifactu.no_euro_rate", `no EUR rate for a ${currency} invoice`, {
    userMessage: `Spanish invoices in ${currency} need a ${currency} → EUR exchange rate on the issue date (VERI*FACTU records amounts in euros): set the workspace base currency to EUR and add the rate.`,
  });
}

/** The QR URL of a stored record: its amounts are those hashed (in euros), read back from the input. */
export function verifactuQrUrlOf(record: typeof verifactuRecords.$inferSelect): string {
  const total = /(?:^|&)ImporteTotal=(-?\d+(?:\.\d+)?)(?:&|$)/.exec(record.hashInput)?.[1] ?? "0";
  return verificationUrl({
    issuerNif: record.issuerNif,
    seriesNumber: record.seriesNumber,
    issueDate: record.issueDate,
    totalMinor: parseAmount(total, "EUR"),
    currency: "EUR",
  });
}
