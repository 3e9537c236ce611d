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
  await tx
    .insert(verifactuChains)
    .values({ workspaceId: invoice.workspaceId, issuerNif: invoice.issuerNif })
    .onConflictDoNothing();
  const [chain] = await tx
    .select()
    .from(verifactuChains)
    .where(
      and(
        eq(verifactuChains.workspaceId, invoice.workspaceId),
        eq(verifactuChains.issuerNif, invoice.issuerNif),
      ),
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
  // The AEAT records amounts in euros, converted at the rate of the invoice's issue.
  const toEuro = (amountMinor: number) => {
    if (invoice.currency === "EUR") return amountMinor;
    if (!invoice.eurRate) {
      throw new DomainError("verifactu.no_euro_rate", `no EUR rate for a ${invoice.currency} invoice`, {
        userMessage: `Spanish invoices in ${invoice.currency} need a ${invoice.currency} → EUR exchange rate on the issue date (VERI*FACTU records amounts in euros): set the workspace base currency to EUR and add the rate.`,
      });
    }
    return convert(amountMinor, invoice.currency, "EUR", invoice.eurRate);
  };
  const record: AltaRecordInput = {
    issuerNif: invoice.issuerNif,
    issuerName: invoice.issuerName,
    seriesNumber: invoice.seriesNumber,
    issueDate: invoice.issueDate,
    invoiceType: invoice.kind === "credit_note" ? "R4" : "F1",
    vatMinor: toEuro(invoice.vatMinor),
    totalMinor: toEuro(invoice.totalMinor),
    currency: "EUR",
    generatedAt: madridTimestamp(now),
    previous:
      chain.lastHash && chain.lastSeriesNumber && chain.lastIssueDate
        ? {
            issuerNif: invoice.issuerNif,
            seriesNumber: chain.lastSeriesNumber,
            issueDate: chain.lastIssueDate,
            hash: chain.lastHash,
          }
        : null,
  };
  const hashInput = altaHashInput(record);
  const hash = createHash("sha256").update(hashInput, "utf8").digest("hex").toUpperCase();
  const [row] = await tx
    .insert(verifactuRecords)
    .values({
      workspaceId: invoice.workspaceId,
      invoiceId: invoice.invoiceId,
      kind: "alta",
      issuerNif: invoice.issuerNif,
      seriesNumber: invoice.seriesNumber,
      issueDate: invoice.issueDate,
      invoiceType: record.invoiceType,
      hashInput,
      hash,
      previousHash: record.previous?.hash ?? null,
      generatedAt: record.generatedAt,
    })
    .returning();
  await tx
    .update(verifactuChains)
    .set({
      lastHash: hash,
      lastSeriesNumber: invoice.seriesNumber,
      lastIssueDate: invoice.issueDate,
      lastGeneratedAt: sql`greatest(${verifactuChains.lastGeneratedAt}, ${now.toISOString()}::timestamptz)`,
    })
    .where(eq(verifactuChains.id, chain.id));
  return row!;
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
