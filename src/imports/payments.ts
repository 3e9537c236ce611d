// Payments are only ever added (a file line is a payment, keyed so a re-import skips it), so they
// do not go through ctx.upsert: each one also lowers its invoice's open amount.

import { present } from "../domain/errors.ts";
import { decimalToMinor } from "../domain/import-rows.ts";
import { type InvoiceStatus, statusForOpen } from "../domain/invoice-state.ts";
import { toDecimalString } from "../domain/money.ts";
import type { Handler, Outcome } from "./context.ts";
import { findInvoicesByNumber, findPaymentDedupeKeys } from "./repo.ts";

const PAYABLE: readonly InvoiceStatus[] = ["issued", "partially_paid", "paid"];

export const importPayments: Handler<"payments"> = async (ctx, rows) => {
  const found = await findInvoicesByNumber(
    ctx.tx,
    ctx.workspaceId,
    rows.map((r) => r.invoiceNumber),
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
  const known = await findPaymentDedupeKeys(
    ctx.tx,
    ctx.workspaceId,
    keyed.map((k) => k.dedupeKey),
  );
  const settled = new Map<string, (typeof found)[number]>();
  const outcomes: Outcome[] = [];
  for (const { row, invoice, amountMinor, dedupeKey } of keyed) {
    if (!invoice) {
      outcomes.push(
        ctx.reject(
          row.line,
          "invoice_number",
          `no invoice "${row.invoiceNumber}" in this workspace (import invoices first)`,
        ),
      );
      continue;
    }
    if (row.currency && row.currency !== invoice.currency) {
      outcomes.push(
        ctx.reject(
          row.line,
          "currency",
          `invoice ${invoice.number} is in ${invoice.currency}, not ${row.currency}`,
        ),
      );
      continue;
    }
    if (typeof amountMinor === "string") {
      outcomes.push(ctx.reject(row.line, "amount", amountMinor));
      continue;
    }
    if (known.has(dedupeKey)) {
      outcomes.push("unchanged");
      continue;
    }
    if (!PAYABLE.includes(invoice.status)) {
      outcomes.push(
        ctx.reject(
          row.line,
          "invoice_number",
          `invoice ${invoice.number} is ${invoice.status} and cannot receive payments`,
        ),
      );
      continue;
    }
    if (amountMinor > invoice.openMinor) {
      outcomes.push(
        ctx.reject(
          row.line,
          "amount",
          `${toDecimalString(amountMinor, invoice.currency)} ${invoice.currency} is more than the ${toDecimalString(invoice.openMinor, invoice.currency)} ${invoice.currency} still open on invoice ${invoice.number}`,
        ),
      );
      continue;
    }
    const paymentId = ctx.writes.insert("payments", {
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
      ctx.auditRow("payment.imported", "payment", paymentId, null, {
        invoiceNumber: invoice.number,
        amountMinor,
        currency: invoice.currency,
        paidOn: row.paidOn,
      }),
      ctx.auditRow("invoice.payment_recorded", "invoice", invoice.id, before, after),
    );
    known.add(dedupeKey);
    outcomes.push("created");
  }
  // One update an invoice, however many of the batch's payments it received.
  for (const invoice of settled.values()) {
    const { openMinor, status } = invoice;
    ctx.writes.update("invoices", invoice.id, { openMinor, status, updatedAt: ctx.now });
  }
  return outcomes;
};
