// Legal invoice numbers: series templates such as F-{YYYY}-{NNNNN}, one counter per series and period.
import { DomainError } from "./errors.ts";

/** EN 16931 / French e-invoicing: the invoice number (BT-1) is at most 35 characters. */
export const MAX_NUMBER_LENGTH = 35;

export type SeriesKind = "invoice" | "credit_note" | "interest_note" | "deposit";

export const DEFAULT_SERIES: Readonly<Record<SeriesKind, { code: string; format: string }>> = {
  invoice: { code: "F", format: "F-{YYYY}-{NNNNN}" },
  // Advance invoices are invoices: same series (a separate one is allowed, not required).
  deposit: { code: "F", format: "F-{YYYY}-{NNNNN}" },
  credit_note: { code: "AV", format: "AV-{YYYY}-{NNNN}" },
  interest_note: { code: "INT", format: "INT-{YY}-{NNN}" },
};

const TOKEN = /\{([A-Z]+)\}/g;

const WHY = {
  counter: "it needs exactly one {N…} counter",
  placeholder: "unknown placeholder",
  braces: "unbalanced braces",
  characters: "only letters, digits and - / _ . are allowed",
} as const;

function invalid(format: string, reason: keyof typeof WHY, placeholder = ""): never {
  const why = reason === "placeholder" ? `${WHY.placeholder} {${placeholder}}` : WHY[reason];
  throw new DomainError("numbering.format", `invalid series format "${format}": ${why}`, {
    userMessage: `The number format "${format}" is not valid (${why}). Use {YYYY} or {YY} for the year and {NNNN} (one N per digit) for the counter, e.g. F-{YYYY}-{NNNNN}.`,
    messageKey: "invoicing.error.number_format",
    messageValues: { format, reason, placeholder: `{${placeholder}}` },
  });
}

export function validateSeriesFormat(format: string): void {
  const tokens = [...format.matchAll(TOKEN)].map((m) => m[1] ?? "");
  const counters = tokens.filter((t) => /^N+$/.test(t));
  if (counters.length !== 1) invalid(format, "counter");
  const unknown = tokens.find((t) => !/^N+$/.test(t) && t !== "YYYY" && t !== "YY");
  if (unknown) invalid(format, "placeholder", unknown);
  const literal = format.replace(TOKEN, "");
  if (/[{}]/.test(literal)) invalid(format, "braces");
  if (!/^[A-Za-z0-9\-/_.]*$/.test(literal)) invalid(format, "characters");
}

/** The counter restarts per year when the number shows the year; otherwise it never restarts. */
export function seriesPeriodKey(format: string, issueDate: string): string {
  validateSeriesFormat(format);
  return /\{YYYY\}|\{YY\}/.test(format) ? issueDate.slice(0, 4) : "";
}

export function formatDocumentNumber(format: string, issueDate: string, counter: number): string {
  validateSeriesFormat(format);
  if (!Number.isSafeInteger(counter) || counter < 1) {
    throw new DomainError("numbering.counter", `counter ${counter} must be a positive integer`);
  }
  const year = issueDate.slice(0, 4);
  if (!/^\d{4}$/.test(year)) throw new DomainError("numbering.date", `bad issue date ${issueDate}`);
  const number = format.replace(TOKEN, (_, token: string) => {
    if (token === "YYYY") return year;
    if (token === "YY") return year.slice(2);
    // Wider than the template once the counter overflows: never truncate a legal number.
    return String(counter).padStart(token.length, "0");
  });
  if (number.length > MAX_NUMBER_LENGTH) {
    throw new DomainError("numbering.too_long", `number ${number} is longer than ${MAX_NUMBER_LENGTH}`, {
      userMessage: `The invoice number ${number} would be longer than ${MAX_NUMBER_LENGTH} characters, which e-invoicing does not accept; shorten the series format.`,
      messageKey: "invoicing.error.number_too_long",
      messageValues: { number, max: MAX_NUMBER_LENGTH },
    });
  }
  return number;
}

/**
 * A PostgreSQL regular expression matching the numbers this format gives in the period of
 * `issueDate`, its counter captured: FA-{YYYY}-{NNNN} in 2026 → ^FA-2026-([0-9]{4,})$.
 */
export function seriesNumberPattern(format: string, issueDate: string): string {
  validateSeriesFormat(format);
  const year = issueDate.slice(0, 4);
  const body = format
    .split(/(\{[A-Z]+\})/)
    .map((part) => {
      if (part === "{YYYY}") return year;
      if (part === "{YY}") return year.slice(2);
      if (/^\{N+\}$/.test(part)) return `([0-9]{${part.length - 2},})`;
      return part.replace(/\./g, "\\.");
    })
    .join("");
  return `^${body}$`;
}

/** A document's file name from its invoice number, safe on every file system and mail client. */
export function documentFilename(invoiceNumber: string | null, extension: "pdf" | "xml"): string {
  return `${(invoiceNumber ?? "invoice").replace(/[^A-Za-z0-9._-]/g, "_")}.${extension}`;
}
