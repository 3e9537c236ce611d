// What issuing a draft would freeze (parties, totals, due date, rate, series), or the DomainError
// that refuses it. No I/O: every refusal is found before a number is taken.

import { assertPaymentTermsAllowed, computeDueDate } from "../domain/due-date.ts";
import { DomainError } from "../domain/errors.ts";
import { assertBuyerIdentity, buyerSnapshot, jurisdictionOf } from "../domain/invoice-parties.ts";
import { computeInvoiceTotals, type InvoiceTotals } from "../domain/invoice-totals.ts";
import { DEFAULT_SERIES, seriesPeriodKey } from "../domain/numbering.ts";
import { noEuroRate, verifactuApplies } from "../domain/verifactu.ts";
import type { BuyerSnapshot, ClientRow, InvoiceLineRow, InvoiceRow, WorkspaceRow } from "./repo.ts";

export type ExchangeRateFound = { rate: string; onDate: string; source: string };

export type IssueBatchContext = {
  workspace: WorkspaceRow;
  /** The seller's country (identity already checked). */
  country: string;
  issueDate: string;
  /** Latest rate to the base currency on or before the issue date, per invoice currency. */
  rates: Map<string, ExchangeRateFound | undefined>;
  /** Why no draft of the batch can be issued (seller identity, date), reported after each draft's own faults. */
  refusal?: DomainError | undefined;
};

export type PreparedIssue = {
  draft: InvoiceRow;
  lines: InvoiceLineRow[];
  buyer: BuyerSnapshot;
  totals: InvoiceTotals;
  dueDate: string;
  terms: { rule: ClientRow["paymentTermsRule"]; days: number };
  rate: ExchangeRateFound;
  series: {
    code: string;
    format: string;
    docKind: "invoice" | "credit_note" | "interest_note";
    periodKey: string;
  };
};

export function prepareIssue(
  context: IssueBatchContext,
  draft: InvoiceRow,
  lines: InvoiceLineRow[],
  client: ClientRow,
  milestonesById: Map<string, { name: string; currency: string }>,
): PreparedIssue {
  const { workspace, country, issueDate } = context;
  if (draft.status === "held") {
    throw new DomainError("invoice.held", "invoice is on hold", {
      userMessage: "This invoice is on hold: release it before issuing it.",
    });
  }
  if (lines.length === 0) {
    throw new DomainError("invoice.empty", "invoice has no lines", {
      userMessage: "This invoice has no lines: add at least one line before issuing it.",
    });
  }
  for (const id of new Set([draft.milestoneId, ...lines.map((l) => l.milestoneId)])) {
    const milestone = id ? milestonesById.get(id) : undefined;
    if (milestone && milestone.currency !== draft.currency) {
      throw new DomainError("invoice.mixed_currencies", `milestone ${id} in ${milestone.currency}`, {
        userMessage: `This invoice is in ${draft.currency} but milestone "${milestone.name}" is in ${milestone.currency}: one invoice has one currency. Make a separate invoice.`,
        messageKey: "invoicing.error.mixed_currencies",
        messageValues: { currency: draft.currency, milestone: milestone.name, other: milestone.currency },
      });
    }
  }

  if (context.refusal) throw context.refusal;

  const buyer: BuyerSnapshot = buyerSnapshot(client);
  assertBuyerIdentity(buyer, country);

  // IRPF is withheld by the client only when a Spanish professional bills a business, on fees,
  // not on late-payment interest (an interest note is damages).
  const withholdingRateBp =
    country === "ES" && client.profile !== "individual" && draft.kind !== "interest_note"
      ? client.withholdingRateBp
      : 0;
  const totals = computeInvoiceTotals(lines, withholdingRateBp);
  if (totals.totalMinor <= 0) {
    throw new DomainError("invoice.not_positive", `total ${totals.totalMinor}`, {
      userMessage: "The invoice total must be above zero; to reduce an issued invoice, make a credit note.",
    });
  }

  const kind = draft.kind;
  const terms = { rule: client.paymentTermsRule, days: client.paymentTermsDays };
  const jurisdiction = jurisdictionOf(country);
  // A credit note is not payable by the client: it settles at once against the original.
  const dueDate =
    kind === "credit_note"
      ? issueDate
      : jurisdiction
        ? assertPaymentTermsAllowed(issueDate, terms, jurisdiction, client.profile)
        : computeDueDate(issueDate, terms);

  let rate: ExchangeRateFound = { rate: "1", onDate: issueDate, source: "identity" };
  if (draft.currency !== workspace.baseCurrency) {
    const found = context.rates.get(draft.currency);
    if (!found) {
      throw new DomainError(
        "invoice.no_exchange_rate",
        `no ${draft.currency}/${workspace.baseCurrency} rate`,
        {
          userMessage: `No ${draft.currency} → ${workspace.baseCurrency} exchange rate on or before ${issueDate}, so this invoice cannot be issued: import one with \`cobro rates fx import FILE.csv\` (header date,pair,rate; a line such as ${issueDate},${draft.currency}/${workspace.baseCurrency},RATE for 1 ${draft.currency} in ${workspace.baseCurrency}), or let Cobro fetch the ECB reference rates daily (COBRO_ECB_FETCH=on, or \`cobro rates fetch\` now).`,
          messageKey: "invoicing.error.no_exchange_rate",
          messageValues: { currency: draft.currency, base: workspace.baseCurrency, date: issueDate },
        },
      );
    }
    rate = found;
  }
  // VERI*FACTU records amounts in euros, converted at the rate frozen here.
  if (verifactuApplies(workspace.seller) && draft.currency !== "EUR" && workspace.baseCurrency !== "EUR") {
    throw noEuroRate(draft.currency);
  }

  const { code, format } =
    kind === "invoice" || kind === "deposit"
      ? {
          code: DEFAULT_SERIES.invoice.code,
          format: workspace.settings.invoiceSeriesFormat ?? DEFAULT_SERIES.invoice.format,
        }
      : {
          code: DEFAULT_SERIES[kind].code,
          format: workspace.settings.seriesFormats?.[kind] ?? DEFAULT_SERIES[kind].format,
        };
  const docKind = kind === "deposit" ? "invoice" : kind;
  return {
    draft,
    lines,
    buyer,
    totals,
    dueDate,
    terms,
    rate,
    series: { code, format, docKind, periodKey: seriesPeriodKey(format, issueDate) },
  };
}
