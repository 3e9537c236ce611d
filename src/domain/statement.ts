// A client's statement of account: every open invoice as of a day, aged in the workspace's
// buckets, with the total due per currency (never added across currencies); the claim key and the
// text of its e-mail.
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

/** The claim of a client's statement e-mail: one per send request, by default one per day (`day:<date>`). */
export const statementEmailKey = (clientId: string, sendRequestId: string) =>
  `statement-email:${clientId}:${sendRequestId}`;

/** The send request of a day's statement (Slack's Send, whoever clicks how often). */
export const statementDayRequest = (asOf: string) => `day:${asOf}`;

// The statement-of-account e-mail (subject and text) in the client's language.
export type StatementEmailModel = {
  language: "es" | "fr" | "en";
  sellerName: string;
  asOf: string;
  /** "1 210,00 € (dont échu 605,00 €)" per currency, already formatted. */
  totals: string[];
};

const TEXT = {
  fr: {
    subject: (m: StatementEmailModel) => `Relevé de compte au ${m.asOf} — ${m.sellerName}`,
    body: (m: StatementEmailModel) =>
      m.totals.length === 0
        ? `Bonjour,\n\nAu ${m.asOf}, aucune facture n'est ouverte sur votre compte. Merci.\n\nCordialement,\n${m.sellerName}`
        : `Bonjour,\n\nVeuillez trouver ci-joint votre relevé de compte au ${m.asOf}. Montant restant dû : ${m.totals.join(" ; ")}.\n\nSi vous avez réglé entre-temps, merci et ne tenez pas compte de ce message.\n\nCordialement,\n${m.sellerName}`,
  },
  es: {
    subject: (m: StatementEmailModel) => `Extracto de cuenta a ${m.asOf} — ${m.sellerName}`,
    body: (m: StatementEmailModel) =>
      m.totals.length === 0
        ? `Buenos días:\n\nA ${m.asOf} no tiene ninguna factura pendiente. Gracias.\n\nUn saludo,\n${m.sellerName}`
        : `Buenos días:\n\nLe adjuntamos su extracto de cuenta a ${m.asOf}. Importe pendiente: ${m.totals.join("; ")}.\n\nSi ya ha pagado, gracias y no tenga en cuenta este mensaje.\n\nUn saludo,\n${m.sellerName}`,
  },
  en: {
    subject: (m: StatementEmailModel) => `Statement of account as of ${m.asOf} — ${m.sellerName}`,
    body: (m: StatementEmailModel) =>
      m.totals.length === 0
        ? `Hello,\n\nAs of ${m.asOf} no invoice is open on your account. Thank you.\n\nKind regards,\n${m.sellerName}`
        : `Hello,\n\nPlease find attached your statement of account as of ${m.asOf}. Amount due: ${m.totals.join("; ")}.\n\nIf you have paid in the meantime, thank you, and please disregard this message.\n\nKind regards,\n${m.sellerName}`,
  },
} as const;

export function composeStatementEmail(model: StatementEmailModel): { subject: string; text: string } {
  const t = TEXT[model.language];
  return { subject: t.subject(model), text: t.body(model) };
}
