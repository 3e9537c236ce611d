// The late interest an overdue invoice has run up, read from the rate table and its payments after
// the due date (for the formal notice and its approval message).
import type { Db } from "../db/client.ts";
import { isDomainError } from "../domain/errors.ts";
import { lateInterestJurisdiction } from "../domain/invoice-parties.ts";
import { computeLateInterest, type InterestRate, type Jurisdiction } from "../domain/late-interest.ts";
import { listPayments } from "../invoicing/index.ts";
import { listInterestRates } from "../rates/index.ts";
import type { WorkspaceRow } from "../workspace/index.ts";
import type { LateInterestFigures } from "./collection-payloads.ts";
import type { InvoiceCollectionView } from "./repo.ts";

/** Statutory interest and the €40 as of a date; a rate missing from the table is said in `problem`. */
export async function lateInterestFigures(
  db: Db,
  workspace: WorkspaceRow,
  view: InvoiceCollectionView,
  asOf: string,
): Promise<LateInterestFigures> {
  const jurisdiction = lateInterestJurisdiction(workspace.settings, workspace.seller);
  const rates = (await listInterestRates(db, jurisdiction)).map(
    (r): InterestRate => ({
      jurisdiction: r.jurisdiction as Jurisdiction,
      halfYearStart: r.halfYearStart,
      referenceRateBp: r.referenceRateBp,
      totalRateBp: r.totalRateBp,
    }),
  );
  const paidAfterDue = (await listPayments(db, workspace.id, view.invoiceId))
    .filter((payment) => payment.paidOn > view.dueDate)
    .map((payment) => ({ on: payment.paidOn, amountMinor: payment.amountMinor }));
  const openAtDue = view.openMinor + paidAfterDue.reduce((sum, p) => sum + p.amountMinor, 0);
  try {
    const result = computeLateInterest({
      jurisdiction,
      profile: view.profile,
      currency: view.currency,
      dueDate: view.dueDate,
      openAtDueMinor: openAtDue,
      settlements: paidAfterDue,
      asOf,
      rates,
    });
    return {
      interestMinor: result.interest.amountMinor,
      compensationMinor: result.compensation.amountMinor,
      currency: view.currency,
      asOf,
    };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return {
      interestMinor: 0,
      compensationMinor: 0,
      currency: view.currency,
      asOf,
      problem: error.userMessage,
      ...(error.code === "interest.rate_missing"
        ? {
            missingRate: {
              jurisdiction: String(error.messageValues.jurisdiction),
              year: String(error.messageValues.year),
              half: Number(error.messageValues.half),
            },
          }
        : {}),
    };
  }
}
