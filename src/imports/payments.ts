// Payments are only ever added (a file line is a payment, keyed so a re-import skips it), so they
// do not go through upsertImported: each one also lowers its invoice's open amount.

import { and, eq, inArray } from "drizzle-orm";
import { lookupInChunks } from "../db/batches.ts";
import { type InvoiceStatus, invoices, payments } from "../db/schema/index.ts";
import { present } from "../domain/errors.ts";
import { decimalToMinor } from "../domain/import-rows.ts";
import { toDecimalString } from "../domain/money.ts";
import { auditRow, type Handler, type Outcome, reject } from "./context.ts";
import { statusForOpen } from "./status-for-open.ts";

const PAYABLE: readonly InvoiceStatus[] = ["issued", "partially_paid", "paid"];

export const importPayments: Handler<"payments"> = async (ctx, rows) => {
  const found = await lookupInChunks(
    rows.map((r) => r.invoiceNumber),
    (slice) =>
      ctx.tx
        .select()
        .from(invoices)
        .where(and(eq(invoices.workspaceId, ctx.workspaceId), inArray(invoices.number, slice))),
  );
  const invoiceMap = new Map(found.map((i) => [present(i.number, "i.number"), { ...i }]));
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
      await lookupInChunks(
        keyed.map((k) => k.dedupeKey),
        (slice) =>
          ctx.tx
            .select({ key: payments.dedupeKey })
            .from(payments)
            .where(and(eq(payments.workspaceId, ctx.workspaceId), inArray(payments.dedupeKey, slice))),
      )
    ).map((p) => p.key),
  );
  const settled = new Map<string, (typeof found)[number]>();
  const outcomes: Outcome[] = [];
  for (const { row, invoice, amountMinor, dedupeKey } of keyed) {
    if (!invoice) {
      outcomes.push(
        reject(
          ctx,
          row.line,
          "invoice_number",
          `no invoice "${row.invoiceNumber}" in this workspace (import invoices first)`,
        ),
      );
      continue;
    }
    if (row.currency && row.currency !== invoice.currency) {
      outcomes.push(
        reject(
          ctx,
          row.line,
          "currency",
          `invoice ${invoice.number} is in ${invoice.currency}, not ${row.currency}`,
        ),
      );
      continue;
    }
    if (typeof amountMinor === "string") {
      outcomes.push(reject(ctx, row.line, "amount", amountMinor));
      continue;
    }
    if (known.has(dedupeKey)) {
      outcomes.push("unchanged");
      continue;
    }
    if (!PAYABLE.includes(invoice.status)) {
      outcomes.push(
        reject(
          ctx,
          row.line,
          "invoice_number",
          `invoice ${invoice.number} is ${invoice.status} and cannot receive payments`,
        ),
      );
      continue;
    }
    if (amountMinor > invoice.openMinor) {
      outcomes.push(
        reject(
          ctx,
          row.line,
          "amount",
          `${toDecimalString(amountMinor, invoice.currency)} ${invoice.currency} is more than the ${toDecimalString(invoice.openMinor, invoice.currency)} ${invoice.currency} still open on invoice ${invoice.number}`,
        ),
      );
      continue;
    }
    const paymentId = ctx.writes.insert(payments, {
      workspaceId: ctx.workspaceId,
      invoiceId: invoice.id,
      amountMinor,
      currency: invoice.currency,
      paidOn: row.paidOn,
      method: row.method,
      reference: row.reference,
      dedupeKey,
    });
    const before = { openMinor: invoice.openMinor, status: invoice.status };
    invoice.openMinor -= amountMinor;
    invoice.status = statusForOpen(invoice.totalMinor, invoice.openMinor);
    const after = { openMinor: invoice.openMinor, status: invoice.status };
    settled.set(invoice.id, invoice);
    ctx.audit.push(
      auditRow(ctx, "payment.imported", "payment", paymentId, null, {
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
  // One update an invoice, however many of the batch's payments it received.
  for (const invoice of settled.values()) {
    const { openMinor, status } = invoice;
    ctx.writes.update(invoices, invoice.id, { openMinor, status, updatedAt: ctx.now });
  }
  return outcomes;
};
