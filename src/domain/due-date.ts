// Due dates from payment terms, and the statutory caps on B2B/B2G terms (data, not constants).
import { addDays, daysBetween } from "./calendar.ts";
import { DomainError } from "./errors.ts";

export type PaymentTermsRule = "net" | "end_of_month";
export type PaymentTerms = { rule: PaymentTermsRule; days: number };
export type Jurisdiction = "FR" | "ES" | "EU";
export type BuyerProfile = "public" | "business" | "individual";

/**
 * Maximum days from the invoice date (Directive 2011/7/EU; FR C. com. L441-10; ES Ley 3/2004).
 * FR "45 days end of month" is allowed when written in the contract: checked as its own rule.
 * Versioned with the law: COM(2023) 533 would lower B2B to 30 days.
 */
export const PAYMENT_TERM_CAPS: Readonly<
  Record<Jurisdiction, { business: number; public: number; endOfMonthDays?: number }>
> = {
  FR: { business: 60, public: 30, endOfMonthDays: 45 },
  ES: { business: 60, public: 30 },
  EU: { business: 60, public: 30 },
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtc(isoDate: string): Date {
  const match = DATE.exec(isoDate);
  if (!match) throw new DomainError("date.format", `"${isoDate}" is not a YYYY-MM-DD date`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

const fromUtc = (date: Date): string => date.toISOString().slice(0, 10);

export function endOfMonth(isoDate: string): string {
  const date = toUtc(isoDate);
  return fromUtc(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)));
}

/** "net": issue date + N days; "end_of_month": end of the issue month + N days (FR reading 1). */
export function computeDueDate(issueDate: string, terms: PaymentTerms): string {
  if (!Number.isSafeInteger(terms.days) || terms.days < 0) {
    throw new DomainError("terms.days", `payment terms of ${terms.days} days`, {
      userMessage: "Payment terms must be a whole number of days, 0 or more.",
    });
  }
  return terms.rule === "net" ? addDays(issueDate, terms.days) : addDays(endOfMonth(issueDate), terms.days);
}

/** Refuses terms beyond the statutory cap for business and public buyers; consumers are out of scope. */
export function assertPaymentTermsAllowed(
  issueDate: string,
  terms: PaymentTerms,
  jurisdiction: Jurisdiction,
  profile: BuyerProfile,
): string {
  const dueDate = computeDueDate(issueDate, terms);
  if (profile === "individual") return dueDate;
  const caps = PAYMENT_TERM_CAPS[jurisdiction];
  const cap = profile === "public" ? caps.public : caps.business;
  const days = daysBetween(issueDate, dueDate);
  const eomAllowed =
    profile === "business" &&
    caps.endOfMonthDays !== undefined &&
    terms.rule === "end_of_month" &&
    terms.days <= caps.endOfMonthDays;
  if (days > cap && !eomAllowed) {
    throw new DomainError("terms.too_long", `due date ${dueDate} is ${days} days after ${issueDate}`, {
      userMessage: `These payment terms put the due date ${days} days after the invoice date; the law in ${jurisdiction} allows at most ${cap} days for ${profile === "public" ? "public bodies" : "business clients"}. Shorten the client's payment terms.`,
    });
  }
  return dueDate;
}
