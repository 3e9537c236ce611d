// How a credit note corrects a Spanish invoice in its VERI*FACTU record: the rectificativa type
// (R1–R4 by the LIVA article, R5 for a simplified invoice or one without an identified recipient)
// and the method (I por diferencias, S por sustitución); and what a partial credit may take, rate by rate.
import { DomainError } from "./errors.ts";

export type RectificationCode = "R1" | "R2" | "R3" | "R4" | "R5";
export const RECTIFICATION_CODES: readonly RectificationCode[] = ["R1", "R2", "R3", "R4", "R5"];
export type RectificationMethod = "I" | "S";

/** R1 art. 80.1–80.2 LIVA and error fundado en derecho; R2 art. 80.3; R3 art. 80.4; R4 others; R5 on F2. */
export function rectificationOf(
  originalType: string,
  requested: { code?: RectificationCode | undefined; method?: RectificationMethod | undefined },
  originalNumber: string,
): { invoiceType: RectificationCode; rectificationType: RectificationMethod } {
  const simplified = originalType === "F2" || originalType === "R5";
  const code = requested.code ?? (simplified ? "R5" : "R4");
  if (simplified && code !== "R5") {
    throw refuse(
      `${originalNumber} was issued without identifying the client (F2): its rectificativa is R5, not ${code}.`,
    );
  }
  if (!simplified && code === "R5") {
    throw refuse(
      `R5 corrects simplified invoices (F2) only; ${originalNumber} is ${originalType}: use R1, R2, R3 or R4.`,
    );
  }
  return { invoiceType: code, rectificationType: requested.method ?? "I" };
}

export type RateBase = { category: string; rateBp: number; baseMinor: number };

/**
 * Refuses a credit that takes, at some VAT rate, more than the original still has at that rate
 * (its base less what earlier credit notes took), or a rate the original does not have.
 */
export function assertCreditByRate(input: {
  originalNumber: string;
  original: readonly RateBase[];
  alreadyCredited: readonly RateBase[];
  credit: readonly RateBase[];
  format: (amountMinor: number) => string;
}): void {
  const key = (row: { category: string; rateBp: number }) => `${row.category}:${row.rateBp}`;
  const sum = (rows: readonly RateBase[]) => {
    const totals = new Map<string, number>();
    for (const row of rows) totals.set(key(row), (totals.get(key(row)) ?? 0) + row.baseMinor);
    return totals;
  };
  const original = sum(input.original);
  const credited = sum(input.alreadyCredited);
  for (const [rate, base] of sum(input.credit)) {
    const [category, rateBp] = rate.split(":");
    const label = `${Number(rateBp) / 100}% (${category})`;
    const available = original.get(rate);
    if (available === undefined) {
      const rates = [...original.keys()].map((k) => `${Number(k.split(":")[1]) / 100}%`).join(", ");
      throw refuse(`${input.originalNumber} has no line at ${label}: credit one of its rates (${rates}).`);
    }
    const left = available - (credited.get(rate) ?? 0);
    if (base > left) {
      throw refuse(
        `At ${label} ${input.originalNumber} has ${input.format(left)} left to credit (base), not ${input.format(base)}.`,
      );
    }
  }
}

function refuse(message: string): DomainError {
  return new DomainError("invoice.credit_rectification", message, { userMessage: message });
}
