// What a reminder needs to know about an invoice: its collection state, its dunning policy and the
// late interest it has run up.
import type { Db } from "../db/client.ts";
import {
  type CollectionState,
  type DunningPolicy,
  type PolicyCandidate,
  resolveDunningPolicy,
} from "../domain/dunning.ts";
import { isDomainError } from "../domain/errors.ts";
import { lateInterestJurisdiction } from "../domain/invoice-parties.ts";
import { computeLateInterest, type InterestRate, type Jurisdiction } from "../domain/late-interest.ts";
import { listInterestRates } from "../rates/index.ts";
import type { WorkspaceRow } from "../workspace/index.ts";
import type { LateInterestFigures } from "./collection-payloads.ts";
import { type InvoiceCollectionView, listDunningPolicies, listPaymentsAfter } from "./repo.ts";

export function collectionState(view: InvoiceCollectionView): CollectionState {
  return {
    dueDate: view.dueDate,
    openMinor: view.openMinor,
    invoiceStatus: view.status,
    level: view.level,
    lastReminderOn: view.lastReminderOn,
    pausedUntil: view.pausedUntil,
    promisedOn: view.promisedOn,
    disputed: view.disputedAt !== null,
    formalApproved: view.formalApprovedAt !== null,
  };
}

export async function loadPolicyCandidates(db: Db, workspaceId: string): Promise<PolicyCandidate[]> {
  const rows = await listDunningPolicies(db, workspaceId);
  return rows.map((row) => ({
    scope: row.projectId ? "project" : row.clientId ? "client" : "profile",
    profile: row.profile,
    clientId: row.clientId,
    projectId: row.projectId,
    policy: { name: row.name, levels: row.levels },
  }));
}

export function policyFor(candidates: PolicyCandidate[], view: InvoiceCollectionView): DunningPolicy {
  return resolveDunningPolicy(candidates, {
    profile: view.profile,
    clientId: view.clientId,
    projectId: view.projectId,
  });
}

/** Statutory interest and the €40 as of a date, for the formal notice and its approval message. */
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
  const paidAfterDue = await listPaymentsAfter(db, workspace.id, view.invoiceId, view.dueDate);
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
    };
  }
}
