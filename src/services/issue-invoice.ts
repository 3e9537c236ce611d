// Issues a draft: freezes parties, lines, totals and rate, allocates the legal number gaplessly
// from the series counter row, all in one transaction.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import type { Db } from "../db/client.ts";
import { recordAudit } from "../db/repos/audit.ts";
import {
  allocateSeriesNumber,
  findClient,
  findExchangeRate,
  findInvoice,
  findMilestone,
  findWorkspace,
  type InvoiceLineRow,
  type InvoiceRow,
  listInvoiceLines,
} from "../db/repos/invoices.ts";
import { type BuyerSnapshot, invoiceLines, invoices } from "../db/schema/index.ts";
import { assertPaymentTermsAllowed, computeDueDate, localDate } from "../domain/due-date.ts";
import { DomainError } from "../domain/errors.ts";
import {
  assertBuyerIdentity,
  assertSellerIdentity,
  jurisdictionOf,
  sellerCountry,
} from "../domain/invoice-parties.ts";
import { transitionInvoice } from "../domain/invoice-state.ts";
import { computeInvoiceTotals } from "../domain/invoice-totals.ts";
import { DEFAULT_SERIES, formatDocumentNumber, seriesPeriodKey } from "../domain/numbering.ts";
import { appendVerifactuRecord, verifactuApplies } from "./append-verifactu-record.ts";
import { notifyInvoiceEvent } from "./notify-invoice-event.ts";
import { parseInput } from "./parse-input.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date");

export const IssueInvoiceInput = z.object({
  workspaceId: z.uuid(),
  invoiceId: z.uuid(),
  actor: z.string().min(1).default("system"),
  issuedByMemberId: z.uuid().optional(),
  /** Defaults to today in the workspace's time zone; never in the future, never before the series' last. */
  issueDate: isoDate.optional(),
});
export type IssueInvoiceInput = z.input<typeof IssueInvoiceInput>;

export type IssueInvoiceResult = { invoice: InvoiceRow; lines: InvoiceLineRow[]; alreadyDone: boolean };

export function newReceiptToken(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * Issues inside the caller's transaction (used by bulk issuing and credit notes). Returns the
 * notice delivery ids to enqueue once the transaction has committed.
 */
export async function issueInvoiceInTransaction(
  tx: Db,
  deps: Pick<ServiceDeps, "now">,
  input: z.output<typeof IssueInvoiceInput>,
): Promise<IssueInvoiceResult & { deliveryIds: string[] }> {
  const { workspaceId } = input;
  const draft = await findInvoice(tx, workspaceId, input.invoiceId, true);
  if (!draft) {
    throw new DomainError("invoice.not_found", "invoice not found", {
      userMessage: "That invoice does not exist in this workspace.",
    });
  }
  if (draft.status !== "draft" && draft.status !== "held") {
    if (draft.status === "void") transitionInvoice(draft.status, "issue");
    // Issuing the same invoice again is a repeat, not a second number.
    return {
      invoice: draft,
      lines: await listInvoiceLines(tx, workspaceId, draft.id),
      alreadyDone: true,
      deliveryIds: [],
    };
  }
  if (draft.status === "held") {
    throw new DomainError("invoice.held", "invoice is on hold", {
      userMessage: "This invoice is on hold: release it before issuing it.",
    });
  }
  const [workspace, client, lines] = await Promise.all([
    findWorkspace(tx, workspaceId),
    findClient(tx, workspaceId, draft.clientId),
    listInvoiceLines(tx, workspaceId, draft.id),
  ]);
  if (!workspace || !client) throw new Error(`invoice ${draft.id} lost its workspace or client`);
  if (lines.length === 0) {
    throw new DomainError("invoice.empty", "invoice has no lines", {
      userMessage: "This invoice has no lines: add at least one line before issuing it.",
    });
  }
  const milestoneIds = new Set(
    [draft.milestoneId, ...lines.map((l) => l.milestoneId)].filter((id): id is string => !!id),
  );
  for (const id of milestoneIds) {
    const milestone = await findMilestone(tx, workspaceId, id);
    if (milestone && milestone.currency !== draft.currency) {
      throw new DomainError("invoice.mixed_currencies", `milestone ${id} in ${milestone.currency}`, {
        userMessage: `This invoice is in ${draft.currency} but milestone "${milestone.name}" is in ${milestone.currency}: one invoice has one currency. Make a separate invoice.`,
      });
    }
  }

  const seller = workspace.seller;
  assertSellerIdentity(seller);
  const country = sellerCountry(seller);
  const buyer: BuyerSnapshot = {
    name: client.name,
    country: client.country,
    emails: client.emails,
    language: client.language,
    profile: client.profile,
    ...(client.address ? { address: client.address } : {}),
    ...(client.taxId ? { taxId: client.taxId } : {}),
    ...(client.siren ? { siren: client.siren } : {}),
    ...(client.poReference ? { poReference: client.poReference } : {}),
    ...(client.electronicAddress ? { electronicAddress: client.electronicAddress } : {}),
  };
  assertBuyerIdentity(buyer, country);

  const today = localDate(deps.now(), workspace.timeZone);
  const issueDate = input.issueDate ?? today;
  if (issueDate > today) {
    throw new DomainError("invoice.future_date", `issue date ${issueDate} after ${today}`, {
      userMessage: `An invoice cannot be dated in the future (${issueDate}; today is ${today}).`,
    });
  }

  // IRPF is withheld by the client only when a Spanish professional bills a business.
  const withholdingRateBp =
    // IRPF is withheld on fees, not on late-payment interest (an interest note is damages).
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

  let rate = "1";
  let rateDate = issueDate;
  let rateSource = "identity";
  if (draft.currency !== workspace.baseCurrency) {
    const found = await findExchangeRate(tx, workspaceId, draft.currency, workspace.baseCurrency, issueDate);
    if (!found) {
      throw new DomainError(
        "invoice.no_exchange_rate",
        `no ${draft.currency}/${workspace.baseCurrency} rate`,
        {
          userMessage: `No ${draft.currency} → ${workspace.baseCurrency} exchange rate on or before ${issueDate}: add one (e.g. the ECB reference rate) before issuing this invoice.`,
        },
      );
    }
    rate = found.rate;
    rateDate = found.onDate;
    rateSource = found.source;
  }

  const series =
    kind === "invoice" || kind === "deposit"
      ? {
          code: DEFAULT_SERIES.invoice.code,
          format: workspace.settings.invoiceSeriesFormat ?? DEFAULT_SERIES.invoice.format,
        }
      : DEFAULT_SERIES[kind];
  const allocated = await allocateSeriesNumber(tx, {
    workspaceId,
    code: series.code,
    docKind: kind === "deposit" ? "invoice" : kind,
    format: series.format,
    periodKey: seriesPeriodKey(series.format, issueDate),
    issueDate,
  });
  if ("laterDate" in allocated) {
    throw new DomainError(
      "invoice.date_backwards",
      `series ${series.code} already has ${allocated.laterDate}`,
      {
        userMessage: `An invoice of this series is already dated ${allocated.laterDate}; numbers and dates must go forward, so this one cannot be dated ${issueDate}.`,
      },
    );
  }
  const number = formatDocumentNumber(allocated.format, issueDate, allocated.counter);

  for (const [index, line] of lines.entries()) {
    const netMinor = totals.lineNetsMinor[index] ?? 0;
    if (line.netMinor !== netMinor) {
      await tx.update(invoiceLines).set({ netMinor }).where(eq(invoiceLines.id, line.id));
    }
  }
  const now = deps.now();
  const [issued] = await tx
    .update(invoices)
    .set({
      status: transitionInvoice(draft.status, "issue"),
      seriesId: allocated.seriesId,
      number,
      issueDate,
      dueDate,
      subtotalMinor: totals.subtotalMinor,
      vatMinor: totals.vatMinor,
      withholdingMinor: totals.withholdingMinor,
      withholdingRateBp: totals.withholdingRateBp,
      totalMinor: totals.totalMinor,
      openMinor: totals.collectibleMinor,
      vatBreakdown: totals.vatBreakdown,
      baseCurrency: workspace.baseCurrency,
      exchangeRate: rate,
      exchangeRateDate: rateDate,
      exchangeRateSource: rateSource,
      seller,
      buyer,
      paymentTermsDays: terms.days,
      paymentTermsRule: terms.rule,
      issuedAt: now,
      issuedByMemberId: input.issuedByMemberId ?? null,
      receiptToken: newReceiptToken(),
      updatedAt: now,
    })
    .where(eq(invoices.id, draft.id))
    .returning();
  if (!issued) throw new Error(`invoice ${draft.id} vanished while issuing`);

  if (verifactuApplies(seller) && seller.nif) {
    await appendVerifactuRecord(
      tx,
      {
        workspaceId,
        invoiceId: issued.id,
        issuerNif: seller.nif,
        issuerName: seller.legalName,
        seriesNumber: number,
        issueDate,
        kind,
        vatMinor: totals.vatMinor,
        totalMinor: totals.totalMinor,
        currency: issued.currency,
        ...(workspace.baseCurrency === "EUR" ? { eurRate: rate } : {}),
      },
      now,
    );
  }
  await recordAudit(tx, {
    workspaceId,
    actor: input.actor,
    action: "invoice.issued",
    entity: "invoice",
    entityId: issued.id,
    before: { status: draft.status },
    after: {
      status: issued.status,
      number,
      issueDate,
      dueDate,
      totalMinor: issued.totalMinor,
      currency: issued.currency,
    },
  });
  const notice = await notifyInvoiceEvent(tx, {
    workspaceId,
    invoiceId: issued.id,
    event: "issued",
    actor: input.actor,
    detail: { number, totalMinor: issued.totalMinor, currency: issued.currency, dueDate },
  });
  const freshLines = await listInvoiceLines(tx, workspaceId, issued.id);
  return { invoice: issued, lines: freshLines, alreadyDone: false, deliveryIds: notice ? [notice] : [] };
}

export async function issueInvoice(
  deps: ServiceDeps,
  rawInput: IssueInvoiceInput,
): Promise<IssueInvoiceResult> {
  const input = parseInput(IssueInvoiceInput, rawInput);
  const { deliveryIds, ...result } = await deps.db.transaction((tx) =>
    issueInvoiceInTransaction(tx, deps, input),
  );
  if (deliveryIds.length > 0) await deps.enqueue(deliveryIds);
  return result;
}
