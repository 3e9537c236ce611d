// Corrects a record the AEAT refused or accepted with errors (subsanación): a new alta of the same
// invoice, chained at the end, rebuilt from the invoice as it stands, flagged Subsanacion = S and
// RechazoPrevio = S when the AEAT refused the first one (it does not hold it) or N when it holds it
// with errors. The old record stays as it was chained; it is marked "corrected". The sending job
// sends the new one in its turn.
import type { Ctx } from "../../context.ts";
import { DomainError } from "../../domain/errors.ts";
import { parseAmount } from "../../domain/money.ts";
import { assertAllowed } from "../../domain/permissions.ts";
import { type InvoiceType, verifactuScope } from "../../domain/verifactu.ts";
import { findInvoice } from "../repo.ts";
import { appendVerifactuRecord } from "./chain-repo.ts";
import { linkCorrection, lockLatestAlta, markRecordCorrected } from "./repo.ts";

export async function correctVerifactuRecord(
  ctx: Ctx,
  input: { seriesNumber: string },
): Promise<{ seriesNumber: string; rechazoPrevio: "N" | "S"; alreadyDone: boolean }> {
  assertAllowed(ctx.actor, { action: "configure" });
  const { workspaceId } = ctx;
  return ctx.db.transaction(async (tx) => {
    const latest = await lockLatestAlta(tx, workspaceId, input.seriesNumber);
    if (!latest) {
      throw refuse(`No VERI*FACTU record of invoice ${input.seriesNumber}: check the number.`);
    }
    if (latest.correctsRecordId && latest.submissionStatus === "pending") {
      return {
        seriesNumber: latest.seriesNumber,
        rechazoPrevio: latest.rechazoPrevio ?? "N",
        alreadyDone: true,
      };
    }
    if (!["rejected", "accepted_with_errors"].includes(latest.submissionStatus)) {
      throw refuse(
        latest.submissionStatus === "pending"
          ? `The record of ${input.seriesNumber} has not been answered by the AEAT yet: nothing to correct.`
          : `The AEAT accepted the record of ${input.seriesNumber}: it cannot be re-sent. To change the invoice, issue a credit note (rectificativa).`,
      );
    }
    const invoice = await findInvoice(tx, workspaceId, latest.invoiceId);
    if (!invoice?.seller) throw refuse(`The invoice of record ${input.seriesNumber} is missing.`);
    const scope = verifactuScope(invoice.seller);
    const amount = (name: string) =>
      parseAmount(new RegExp(`(?:^|&)${name}=([^&]*)`).exec(latest.hashInput)?.[1] ?? "0", "EUR");
    // The AEAT does not hold a refused record: the correction tells it so (RechazoPrevio S).
    const rechazoPrevio = latest.submissionStatus === "rejected" || latest.rechazoPrevio === "S" ? "S" : "N";
    // The old record gives way first: one live record per invoice.
    await markRecordCorrected(tx, latest.id);
    const record = await appendVerifactuRecord(
      tx,
      {
        workspaceId,
        invoiceId: latest.invoiceId,
        issuerNif: latest.issuerNif,
        issuerName: invoice.seller.legalName,
        seriesNumber: latest.seriesNumber,
        issueDate: latest.issueDate,
        // Amounts exactly as first recorded, already in signed euros.
        kind: "invoice",
        vatMinor: amount("CuotaTotal"),
        totalMinor: amount("ImporteTotal"),
        currency: "EUR",
        invoiceType: latest.invoiceType as InvoiceType,
        ...(latest.rectificationType ? { rectificationType: latest.rectificationType } : {}),
        timeZone: scope.applies ? scope.timeZone : "Europe/Madrid",
      },
      ctx.now(),
    );
    await linkCorrection(tx, record.id, { correctsRecordId: latest.id, rechazoPrevio });
    return { seriesNumber: latest.seriesNumber, rechazoPrevio, alreadyDone: false };
  });
}

function refuse(message: string): DomainError {
  return new DomainError("verifactu.correct", message, { userMessage: message });
}
