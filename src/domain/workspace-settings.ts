// Every workspace setting that is set by name (`cobro settings set <key> <value>`, the Invoicing
// details modal of `/cobro setup`): one zod schema per setting, here only, so both refuse the same
// values with the same words. A blank value clears the setting (its default applies again).
import { z } from "zod";
import { validateAgingEdges } from "./aging.ts";
import { formatFeeTolerance, parseFeeTolerance } from "./bank-matching.ts";
import { DomainError, isDomainError } from "./errors.ts";
import { formatDocumentNumber } from "./numbering.ts";
import { resolveScanHour } from "./overdue.ts";

/** Where a value lives: the workspace's `settings` or its seller identity (`seller`). */
type Target =
  | {
      in: "settings";
      field:
        | "jurisdiction"
        | "agingEdges"
        | "overdueScanHour"
        | "billingCadence"
        | "approvalReminderDays"
        | "paymentHoldDays"
        | "bankFeeTolerance";
    }
  | { in: "settings"; field: "invoiceSeriesFormat" }
  | { in: "seriesFormats"; field: "credit_note" | "interest_note" }
  | {
      in: "seller";
      field: "paymentLink" | "legalForm" | "shareCapital" | "rcs" | "bic" | "tradeName" | "vatOnDebits";
    };

/**
 * Why a typed value is refused, by id (the schemas' messages): these English words for the CLI,
 * the catalogue's `workspace.settings.refused.<id>` in Slack.
 */
const REFUSED = {
  days: "Write a whole number of days between 1 and 30.",
  jurisdiction: "Use EU, FR or ES.",
  aging_edges: "Write whole days separated by commas, such as 30,60,90.",
  scan_hour: "Write a whole hour between 0 and 23.",
  cadence: "Use monthly or weekly.",
  payment_link: "Use a full https:// address, such as https://pay.example.com/acme.",
  share_capital: "Write the amount, such as 10 000 EUR.",
  bic: "A BIC has 8 or 11 letters and digits, such as BNPAFRPPXXX.",
  yes_no: "Use yes or no.",
  invalid: "This value is not valid.",
} as const;
type RefusedId = keyof typeof REFUSED;
const refused = (id: RefusedId) => id;

const daysFromOneToThirty = z
  .string()
  .trim()
  .regex(/^\d{1,2}$/, refused("days"))
  .transform(Number)
  .refine((n) => n >= 1 && n <= 30, refused("days"));

export type SettingSpec = {
  label: string;
  /** What it does and an example, for `cobro settings show` and the modal's hint. */
  help: string;
  target: Target;
  /** Text in, stored value out; the messages are shown as they are. */
  schema: z.ZodType<unknown, string>;
  /** The stored value as typed text (the inverse of `schema`). */
  format: (value: unknown) => string;
};

/** Runs a domain check that throws a DomainError and reports it (words and catalogue key) as the issue. */
function domainCheck<T>(check: (value: T) => unknown) {
  return (value: T, ctx: z.RefinementCtx) => {
    try {
      check(value);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      ctx.addIssue({ code: "custom", message: error.userMessage, params: { error } });
    }
  };
}

const asText = (value: unknown) => (value === undefined || value === null ? "" : String(value));
const trimmed = (max: number) => z.string().trim().max(max);

const numberFormat = z
  .string()
  .trim()
  .superRefine(domainCheck((format: string) => formatDocumentNumber(format, "2026-12-31", 99_999)));

export const SETTINGS = {
  jurisdiction: {
    label: "Late-payment law",
    help: "EU, FR or ES: which late-interest rules and legal mentions apply. Blank: your company's country.",
    target: { in: "settings", field: "jurisdiction" },
    schema: z
      .string()
      .trim()
      .toUpperCase()
      .pipe(z.enum(["EU", "FR", "ES"], { error: refused("jurisdiction") })),
    format: asText,
  },
  aging_edges: {
    label: "Ageing bucket edges (days)",
    help: "Increasing days overdue that close each ageing bucket, such as 30,60,90 (up to 8).",
    target: { in: "settings", field: "agingEdges" },
    schema: z
      .string()
      .trim()
      .regex(/^\d+(\s*[,;]\s*\d+)*$/, refused("aging_edges"))
      .transform((v) => v.split(/\s*[,;]\s*/).map(Number))
      .superRefine(domainCheck(validateAgingEdges)),
    format: (v) => (Array.isArray(v) ? v.join(",") : ""),
  },
  overdue_scan_hour: {
    label: "Overdue scan hour",
    help: "The hour (0–23, workspace time) at which overdue invoices are scanned and reminders go; default 8.",
    target: { in: "settings", field: "overdueScanHour" },
    schema: z
      .string()
      .trim()
      .regex(/^\d{1,2}$/, refused("scan_hour"))
      .transform(Number)
      .superRefine(domainCheck(resolveScanHour)),
    format: asText,
  },
  billing_cadence: {
    label: "Time billing cadence",
    help: "monthly or weekly: how often approved time becomes draft invoices; default monthly.",
    target: { in: "settings", field: "billingCadence" },
    schema: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(["monthly", "weekly"], { error: refused("cadence") })),
    format: asText,
  },
  approval_reminder_days: {
    label: "Approval reminder (days)",
    help: "Days a submitted timesheet may wait before its approver is reminded (1–30); default 2.",
    target: { in: "settings", field: "approvalReminderDays" },
    schema: daysFromOneToThirty,
    format: asText,
  },
  payment_hold_days: {
    label: "Hold for a payment on its way (days)",
    help: "Days reminders wait when the client says it paid or a card or SEPA payment is under way (1–30); default 5.",
    target: { in: "settings", field: "paymentHoldDays" },
    schema: daysFromOneToThirty,
    format: asText,
  },
  bank_fee_tolerance: {
    label: "Bank fee tolerance",
    help: "How much short a bank credit naming its invoices may be and still settle them, the gap written off as bank fees: an amount such as 2.50 or a share such as 0.5%; default none.",
    target: { in: "settings", field: "bankFeeTolerance" },
    schema: z
      .string()
      .trim()
      .transform((text, ctx) => {
        try {
          return formatFeeTolerance(parseFeeTolerance(text));
        } catch (error) {
          if (!isDomainError(error)) throw error;
          ctx.addIssue({ code: "custom", message: error.userMessage, params: { error } });
          return z.NEVER;
        }
      }),
    format: asText,
  },
  invoice_number_format: {
    label: "Invoice number format",
    help: "{YYYY} or {YY} for the year, {NNNNN} for the counter, such as F-{YYYY}-{NNNNN} (the default).",
    target: { in: "settings", field: "invoiceSeriesFormat" },
    schema: numberFormat,
    format: asText,
  },
  credit_note_number_format: {
    label: "Credit note number format",
    help: "Same placeholders; default AV-{YYYY}-{NNNN}.",
    target: { in: "seriesFormats", field: "credit_note" },
    schema: numberFormat,
    format: asText,
  },
  interest_note_number_format: {
    label: "Interest note number format",
    help: "Same placeholders; default INT-{YY}-{NNN}.",
    target: { in: "seriesFormats", field: "interest_note" },
    schema: numberFormat,
    format: asText,
  },
  payment_link: {
    label: "Payment link",
    help: "An https:// page where clients can pay, printed on invoices and reminders.",
    target: { in: "seller", field: "paymentLink" },
    schema: trimmed(500).pipe(
      z.url({
        protocol: /^https$/,
        error: refused("payment_link"),
      }),
    ),
    format: asText,
  },
  trade_name: {
    label: "Trade name",
    help: "The name you trade under, if not your legal name.",
    target: { in: "seller", field: "tradeName" },
    schema: trimmed(200),
    format: asText,
  },
  legal_form: {
    label: "Legal form",
    help: "SAS, SARL, SL, SA…: French companies print it with their share capital and RCS.",
    target: { in: "seller", field: "legalForm" },
    schema: trimmed(40).toUpperCase(),
    format: asText,
  },
  share_capital: {
    label: "Share capital",
    help: "As printed, such as 10 000 EUR.",
    target: { in: "seller", field: "shareCapital" },
    schema: trimmed(40).regex(/\d/, refused("share_capital")),
    format: asText,
  },
  rcs: {
    label: "Registry (RCS)",
    help: "Trade register and city, such as RCS Lyon 732 829 320.",
    target: { in: "seller", field: "rcs" },
    schema: trimmed(80),
    format: asText,
  },
  bic: {
    label: "BIC",
    help: "Your bank's 8 or 11-character BIC, printed with the IBAN, such as BNPAFRPPXXX.",
    target: { in: "seller", field: "bic" },
    schema: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/, refused("bic")),
    format: asText,
  },
  vat_on_debits: {
    label: "VAT on debits (France)",
    help: 'yes if you opted to pay VAT on debits: French invoices then say "Option pour le paiement de la taxe d\'après les débits"; default no.',
    target: { in: "seller", field: "vatOnDebits" },
    schema: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.enum(["yes", "no", "oui", "non"], { error: refused("yes_no") }))
      .transform((v) => v === "yes" || v === "oui"),
    format: (v) => (v === true ? "yes" : v === false ? "no" : ""),
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

/** The refusal of one zod issue: the domain's own error, a length, or one of REFUSED by id. */
function refusalOf(issue: z.core.$ZodIssue | undefined): DomainError {
  const own = issue?.code === "custom" ? (issue.params as { error?: unknown } | undefined)?.error : undefined;
  if (isDomainError(own)) return own;
  if (issue?.code === "too_big") {
    const max = Number(issue.maximum);
    return new DomainError("settings.invalid", `Keep it under ${max} characters.`, {
      messageKey: "workspace.settings.refused.too_long",
      messageValues: { max },
    });
  }
  const id: RefusedId =
    issue && Object.hasOwn(REFUSED, issue.message) ? (issue.message as RefusedId) : "invalid";
  return new DomainError("settings.invalid", REFUSED[id], { messageKey: `workspace.settings.refused.${id}` });
}

/** The stored value of one setting (undefined = cleared), or why the text is refused. */
export function parseSetting(
  key: SettingKey,
  text: string,
): { ok: true; value: unknown } | { ok: false; message: string; error: DomainError } {
  if (text.trim() === "") return { ok: true, value: undefined };
  const result = (SETTINGS[key].schema as z.ZodType).safeParse(text);
  if (result.success) return { ok: true, value: result.data };
  const error = refusalOf(result.error.issues[0]);
  return { ok: false, message: error.userMessage, error };
}
