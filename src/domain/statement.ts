// A client's statement of account: every open invoice as of a day, aged in the workspace's
// buckets, with the total due per currency (never added across currencies).
import { bucketIndex, bucketLabels, daysPastDue } from "./aging.ts";

export type StatementInvoice = {
  number: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  totalMinor: number;
  openMinor: number;
};

export type StatementLine = StatementInvoice & { daysPastDue: number; bucket: number };

export type StatementCurrency = {
  currency: string;
  lines: StatementLine[];
  /** Open amount per bucket, in the order of `labels`. */
  buckets: number[];
  totalMinor: number;
  overdueMinor: number;
};

/** Owed back to the client (paid, then credited), per currency, with the invoices it comes from. */
export type StatementRefund = { currency: string; amountMinor: number; invoices: string[] };

export type Statement = {
  asOf: string;
  labels: string[];
  currencies: StatementCurrency[];
  refundsDue: StatementRefund[];
};

export function buildStatement(input: {
  asOf: string;
  edges: readonly number[];
  invoices: readonly StatementInvoice[];
  refunds?: readonly { number: string; currency: string; refundDueMinor: number }[];
}): Statement {
  const labels = bucketLabels(input.edges);
  const byCurrency = new Map<string, StatementCurrency>();
  const ordered = [...input.invoices]
    .filter((invoice) => invoice.openMinor > 0)
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.number.localeCompare(b.number));
  for (const invoice of ordered) {
    const days = daysPastDue(input.asOf, invoice.dueDate);
    const bucket = bucketIndex(days, input.edges);
    const group = byCurrency.get(invoice.currency) ?? {
      currency: invoice.currency,
      lines: [],
      buckets: labels.map(() => 0),
      totalMinor: 0,
      overdueMinor: 0,
    };
    group.lines.push({ ...invoice, daysPastDue: days, bucket });
    group.buckets[bucket] = (group.buckets[bucket] ?? 0) + invoice.openMinor;
    group.totalMinor += invoice.openMinor;
    if (days > 0) group.overdueMinor += invoice.openMinor;
    byCurrency.set(invoice.currency, group);
  }
  const refunds = new Map<string, StatementRefund>();
  for (const refund of input.refunds ?? []) {
    const group = refunds.get(refund.currency) ?? { currency: refund.currency, amountMinor: 0, invoices: [] };
    group.amountMinor += refund.refundDueMinor;
    group.invoices.push(refund.number);
    refunds.set(refund.currency, group);
  }
  return {
    asOf: input.asOf,
    labels,
    currencies: [...byCurrency.values()].sort((a, b) => b.totalMinor - a.totalMinor),
    refundsDue: [...refunds.values()],
  };
}
