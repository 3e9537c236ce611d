// Claims statutory late-payment interest and the EUR 40 compensation on an invoice paid (or still
// open) after its due date, as a debit note in its own series; the original is never touched.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { addDays, formatDate, toDayNumber } from "../domain/calendar.ts";
import { DomainError, parseInput } from "../domain/errors.ts";
import { lateInterestJurisdiction } from "../domain/invoice-parties.ts";
import { isIssuedStatus } from "../domain/invoice-state.ts";
import { computeInvoiceTotals } from "../domain/invoice-totals.ts";
import {
  computeLateInterest,
  FIXED_COMPENSATION,
  formatRateBp,
  halfYearLabel,
  halfYearStart,
  type InterestLaw,
  type InterestRate,
  interestLawOf,
  type Jurisdiction,
  type Settlement,
} from "../domain/late-interest.ts";
import { formatMoney, type Money } from "../domain/money.ts";
import { localToday } from "../domain/overdue.ts";
import { assertAllowed, auditActorOf, memberIdOf } from "../domain/permissions.ts";
import {
  findClient,
  findInvoice,
  findWorkspace,
  type InvoiceLineRow,
  type InvoiceRow,
  issueLinkedNote,
  listInvoiceLines,
  listIssuedNotesFor,
  listPayments,
} from "../invoicing/index.ts";
import { listInterestRates } from "../rates/index.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a YYYY-MM-DD date");

export const IssueInterestNoteInput = z.object({
  invoiceId: z.uuid(),
  /** Last day of accrual while the invoice is unpaid; defaults to today in the workspace's time zone. */
  asOf: isoDate.optional(),
});
export type IssueInterestNoteInput = z.input<typeof IssueInterestNoteInput>;

export type InterestNoteResult = {
  /** The note this call issued, or the one that already claims the interest (alreadyDone). */
  note: InvoiceRow;
  alreadyDone: boolean;
  /** What this call claimed (zero when it returned an existing note). */
  interest: Money;
  compensation: Money;
  lines: InvoiceLineRow[];
  original: InvoiceRow;
  /** Half-years whose rate this note used while it is not confirmed by its official publication. */
  unconfirmedRates: string[];
};

type Language = "en" | "fr" | "es";

const COMPENSATION_LAW: Record<InterestLaw, string> = {
  FR: "art. L441-10 C. com.",
  "FR-public": "art. D2192-35 C. commande publique",
  ES: "art. 8 Ley 3/2004",
  EU: "art. 6 Directive 2011/7/EU",
};

// VAT category O (outside the scope): interest for late payment and the fixed indemnity are
// damages, not consideration for a supply (FR: hors champ; ES: art. 78.Tres.1.º LIVA). EN 16931
// BR-O-02 then wants no VAT identifiers on a structured export of this note.
const OUT_OF_SCOPE: Record<Language, string> = {
  en: "Outside the scope of VAT: late-payment interest and recovery compensation are not consideration for a supply",
  fr: "Hors champ de la TVA : intérêts de retard et indemnité forfaitaire, sans contrepartie d'une livraison ou d'une prestation",
  es: "No sujeto a IVA: intereses de demora e indemnización, sin contraprestación (art. 78.Tres.1.º LIVA)",
};

function rateText(rates: number[], language: Language): string {
  const texts = rates.map((bp) =>
    language === "en" ? formatRateBp(bp) : formatRateBp(bp).replace(".", ","),
  );
  return texts.join(" / ");
}

function interestLineText(
  language: Language,
  number: string,
  from: string,
  to: string,
  rates: number[],
): string {
  const [d1, d2, r] = [formatDate(from), formatDate(to), rateText(rates, language)];
  if (language === "fr")
    return `Intérêts de retard sur la facture ${number}, du ${d1} au ${d2} au taux de ${r}`;
  if (language === "es") return `Intereses de demora de la factura ${number}, del ${d1} al ${d2} al ${r}`;
  return `Late-payment interest on invoice ${number}, ${d1}–${d2} at ${r}`;
}

function compensationLineText(language: Language, interestLaw: InterestLaw): string {
  const law = COMPENSATION_LAW[interestLaw];
  if (language === "fr") return `Indemnité forfaitaire pour frais de recouvrement (${law})`;
  if (language === "es") return `Indemnización por costes de cobro (${law})`;
  return `Fixed recovery compensation (${law})`;
}

/** A calendar day as the catalogue's `date` arguments take it (midnight UTC). */
const dayOf = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** English words for the CLI; `collections.interest.refused.<why>` with `values` in Slack. */
function refuse(
  code: string,
  message: string,
  why: string = code,
  values: Record<string, string | number> = {},
): never {
  throw new DomainError(`interest_note.${code}`, message, {
    userMessage: message,
    messageKey: `collections.interest.refused.${why}`,
    messageValues: values,
  });
}

export async function issueInterestNote(
  ctx: Ctx,
  rawInput: IssueInterestNoteInput,
): Promise<InterestNoteResult> {
  assertAllowed(ctx.actor, { action: "issueInvoice" });
  const actor = auditActorOf(ctx.actor);
  const input = parseInput(IssueInterestNoteInput, rawInput);
  const { workspaceId } = ctx;
  const result = await ctx.db.transaction(async (tx) => {
    // The row lock on the original is the claim: concurrent calls queue here, and the second
    // one sees the note the first committed, so the EUR 40 is never claimed twice.
    const original = await findInvoice(tx, workspaceId, input.invoiceId, true);
    if (!original) refuse("not_found", "That invoice does not exist in this workspace.");
    const label = original.number ?? "this draft";
    const named: Record<string, string> = original.number
      ? { label: original.number }
      : { labelKey: "collections.interest.this_draft" };
    if (original.kind === "credit_note" || original.kind === "interest_note") {
      refuse(
        "kind",
        `${label} is a ${original.kind.replace("_", " ")}: late interest is claimed on invoices.`,
        "kind",
        { ...named, kind: original.kind },
      );
    }
    if (!isIssuedStatus(original.status) || !original.number || !original.dueDate) {
      refuse(
        "not_issued",
        `${label} is ${original.status}: only an issued invoice can be late.`,
        "not_issued",
        {
          ...named,
          status: original.status,
        },
      );
    }
    const [workspace, client] = await Promise.all([
      findWorkspace(tx, workspaceId),
      findClient(tx, workspaceId, original.clientId),
    ]);
    if (!workspace || !client) throw new Error(`invoice ${original.id} lost its workspace or client`);
    const profile = original.buyer?.profile ?? client.profile;
    if (profile === "individual") {
      refuse(
        "individual",
        `${client.name} is an individual: statutory late-payment interest and the €40 compensation apply only to business and public-body clients (consumers are excluded by Directive 2011/7/EU).`,
        "individual",
        { client: client.name },
      );
    }
    if (original.currency !== FIXED_COMPENSATION.currency) {
      refuse(
        "currency",
        `${original.number} is in ${original.currency}: Cobro issues interest notes for euro invoices only (the €40 would need a stored exchange rate).`,
        "currency",
        { number: original.number, currency: original.currency },
      );
    }
    const today = localToday(ctx.now(), workspace.timeZone);
    const asOf = input.asOf ?? today;
    if (asOf > today) {
      refuse("future", `Interest cannot be claimed as of ${asOf}: today is ${today}.`, "future", {
        asOf: dayOf(asOf),
        today: dayOf(today),
      });
    }
    if (asOf <= original.dueDate) {
      refuse(
        "not_late",
        `${original.number} is due ${original.dueDate}: it is not late as of ${asOf}.`,
        "not_late",
        {
          number: original.number,
          due: dayOf(original.dueDate),
          asOf: dayOf(asOf),
        },
      );
    }

    const previous = await listIssuedNotesFor(tx, workspaceId, original.id, "interest_note");
    const previousLines: InvoiceLineRow[] = [];
    for (const note of previous) previousLines.push(...(await listInvoiceLines(tx, workspaceId, note.id)));
    // Interest lines carry their accrual period; the compensation line has none.
    const claimedInterest = previousLines
      .filter((l) => l.periodStart)
      .reduce((sum, l) => sum + l.netMinor, 0);
    const compensationClaimed = previousLines.some((l) => !l.periodStart);
    const claimedUntil = previousLines
      .map((l) => l.periodEnd)
      .filter((d): d is string => !!d)
      .sort()
      .at(-1);
    const latest = previous.at(-1);
    const alreadyDone = async (note: InvoiceRow) => ({
      note,
      lines: await listInvoiceLines(tx, workspaceId, note.id),
      original,
      interest: { amountMinor: 0, currency: original.currency },
      compensation: { amountMinor: 0, currency: FIXED_COMPENSATION.currency },
      alreadyDone: true,
      unconfirmedRates: [],
    });
    if (latest && claimedUntil && asOf <= claimedUntil) return alreadyDone(latest);

    const credits = await listIssuedNotesFor(tx, workspaceId, original.id, "credit_note");
    const settlements: Settlement[] = [
      ...(await listPayments(tx, workspaceId, original.id)).map((p) => ({
        on: p.paidOn,
        amountMinor: p.amountMinor,
      })),
      ...credits.map((c) => ({
        on: c.issueDate ?? original.dueDate ?? "",
        amountMinor: c.totalMinor - c.withholdingMinor,
      })),
    ];
    const dueDay = toDayNumber(original.dueDate);
    const settledByDue = settlements
      .filter((s) => toDayNumber(s.on) <= dueDay)
      .reduce((sum, s) => sum + s.amountMinor, 0);
    const jurisdiction = lateInterestJurisdiction(workspace.settings, original.seller);
    const storedRates = await listInterestRates(tx, jurisdiction);
    const rates = storedRates.map(
      (r): InterestRate => ({
        jurisdiction: r.jurisdiction as Jurisdiction,
        halfYearStart: r.halfYearStart,
        referenceRateBp: r.referenceRateBp,
        totalRateBp: r.totalRateBp,
      }),
    );
    // Throws interest.rate_missing naming the half-year and `cobro rates import`.
    const computed = computeLateInterest({
      jurisdiction,
      profile,
      currency: original.currency,
      dueDate: original.dueDate,
      openAtDueMinor: original.totalMinor - original.withholdingMinor - settledByDue,
      settlements: settlements.filter((s) => toDayNumber(s.on) > dueDay),
      asOf,
      rates,
    });
    const first = computed.segments[0];
    const last = computed.segments.at(-1);
    if (!first || !last) {
      if (latest) return alreadyDone(latest);
      refuse(
        "not_late",
        `${original.number} was settled by its due date (${original.dueDate}): no interest is owed.`,
        "settled",
        { number: original.number, due: dayOf(original.dueDate) },
      );
    }
    // Interest is computed over the whole period and rounded once; a later note claims the rest.
    const interestMinor = computed.interest.amountMinor - claimedInterest;
    const compensationMinor = compensationClaimed ? 0 : computed.compensation.amountMinor;
    if (interestMinor <= 0 && compensationMinor === 0) {
      if (latest) return alreadyDone(latest);
      refuse("nothing", `No interest has accrued on ${original.number} as of ${asOf}.`, "nothing", {
        number: original.number,
        asOf: dayOf(asOf),
      });
    }
    const from = claimedUntil ? addDays(claimedUntil, 1) : first.from;
    const to = last.to;
    const language: Language = client.language;
    const periodRates = [...new Set(computed.segments.filter((s) => s.to >= from).map((s) => s.rateBp))];
    // Segments are cut at 1 January and 1 July, so each starts in the half-year whose rate it used.
    const usedHalfYears = new Set(
      computed.segments.filter((s) => s.to >= from).map((s) => halfYearStart(s.from)),
    );
    const unconfirmedRates = storedRates
      .filter((r) => !r.confirmed && usedHalfYears.has(r.halfYearStart))
      .map(
        (r) =>
          `${r.jurisdiction} ${halfYearLabel(r.halfYearStart)} ${formatRateBp(r.totalRateBp)} (${r.source})`,
      );
    const outOfScope = { vatCategory: "O" as const, vatRateBp: 0, exemptionReason: OUT_OF_SCOPE[language] };
    const lines = [
      ...(interestMinor > 0
        ? [
            {
              description: interestLineText(language, original.number, from, to, periodRates),
              quantityMilli: 1000,
              unitCode: "C62",
              unitPriceMinor: interestMinor,
              periodStart: from,
              periodEnd: to,
              ...outOfScope,
            },
          ]
        : []),
      ...(compensationMinor > 0
        ? [
            {
              description: compensationLineText(language, interestLawOf(jurisdiction, profile)),
              quantityMilli: 1000,
              unitCode: "C62",
              unitPriceMinor: compensationMinor,
              periodStart: null,
              periodEnd: null,
              ...outOfScope,
            },
          ]
        : []),
    ];
    const totals = computeInvoiceTotals(lines);
    const issued = await issueLinkedNote(tx, ctx, {
      original,
      kind: "interest_note",
      // EN 16931 BT-3 383: debit note; BT-25 (preceding invoice) is the late invoice.
      typeCode: "383",
      servicePeriodStart: from,
      servicePeriodEnd: to,
      lines,
      lineNetsMinor: totals.lineNetsMinor,
      actor,
      issuedByMemberId: memberIdOf(ctx.actor) ?? undefined,
    });
    const money = (amountMinor: number) => formatMoney({ amountMinor, currency: original.currency }, "en");
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: "invoice.interest_claimed",
      entity: "invoice",
      entityId: original.id,
      after: {
        interestNote: issued.invoice.number,
        from,
        to,
        asOf,
        jurisdiction,
        interestMinor: Math.max(interestMinor, 0),
        compensationMinor,
        summary: `${money(Math.max(interestMinor, 0))} + ${money(compensationMinor)}`,
      },
    });
    return {
      note: issued.invoice,
      lines: issued.lines,
      original,
      interest: { amountMinor: Math.max(interestMinor, 0), currency: original.currency },
      compensation: { amountMinor: compensationMinor, currency: FIXED_COMPENSATION.currency },
      alreadyDone: false,
      unconfirmedRates,
      deliveryIds: issued.deliveryIds,
    };
  });
  if ("deliveryIds" in result) {
    const { deliveryIds, ...rest } = result;
    if (deliveryIds.length > 0) await ctx.enqueue(deliveryIds);
    return rest;
  }
  return result;
}
