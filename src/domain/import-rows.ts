// Pure validation of CSV import rows: raw cells in, typed rows or {line, column, message} errors out.

import { z } from "zod";
import { readWrittenDate } from "./calendar.ts";
import {
  CLIENT_DETAIL_COLUMNS,
  type ClientDetails,
  clientDetailCells,
  refineClientDetails,
  toClientDetails,
} from "./client-details.ts";
import { isDomainError } from "./errors.ts";
import { parseAmount } from "./money.ts";
import { nameProblem, projectCodeKey } from "./names.ts";
import { ROLES, type Role } from "./permissions.ts";

export const IMPORT_KINDS = ["people", "clients", "projects", "milestones", "invoices", "payments"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** What the rows of an all-or-nothing import became (all zero when any row was refused). */
export type ImportCounts = { rows: number; created: number; updated: number; unchanged: number };

export type RowError = {
  line: number;
  column: string;
  message: string;
  /** Refused because the week's timesheet is no longer with the person (submitted, approved). */
  lockedTimesheet?: string;
};
/** One CSV record: its first line in the file (header = line 1) and its cells by column name. */
export type RawRow = { line: number; cells: Record<string, string> };
export type ImportRowOptions = {
  decimalComma?: boolean;
  /** Dates such as 14/06/2026 are day first (--day-first); ISO dates read as ISO either way. */
  dayFirst?: boolean;
};
/** The keys seen so far in a file read in batches, so a row repeated in a later batch is caught. */
export type ValidationMemory = Map<string, number>;
export const validationMemory = (): ValidationMemory => new Map();

/** An amount checked for shape only; it becomes minor units once its currency is known. */
export type DecimalText = string & { readonly __decimal: unique symbol };

export const PAYMENT_METHODS = ["transfer", "card", "direct_debit", "cheque", "cash", "other"] as const;

/**
 * "1.234,56" (decimal comma) or "1,234.56" → "1234.56", exactly, without a float. The reference
 * currency has the widest exponent we know (CLF, 4) so only the shape is judged here.
 */
export function normalizeDecimal(
  input: string,
  options: ImportRowOptions = {},
): { ok: true; text: DecimalText } | { ok: false; message: string } {
  try {
    const minor = parseAmount(input, "CLF", options);
    const negative = minor < 0;
    const digits = String(Math.abs(minor)).padStart(5, "0");
    const fraction = digits.slice(-4).replace(/0+$/, "");
    const text = `${negative ? "-" : ""}${digits.slice(0, -4)}${fraction ? `.${fraction}` : ""}`;
    return { ok: true, text: text as DecimalText };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    if (/too large/.test(error.message)) return { ok: false, message: "is too large" };
    if (/decimals/.test(error.message)) return { ok: false, message: "has more than 4 decimals" };
    const example = options.decimalComma ? "1.234,56" : "1234.56";
    const hint = options.decimalComma ? "" : " (or use --decimal-comma for 1.234,56)";
    return { ok: false, message: `is not an amount: write it like ${example}${hint}` };
  }
}

/** Minor units of a checked amount in its currency, or why not (too many decimals for it). */
export function decimalToMinor(text: DecimalText, currency: string): number | string {
  try {
    return parseAmount(text, currency);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const why = /\(([^)]*)\)/.exec(error.userMessage)?.[1];
    return why ? `has too many decimals: ${why}` : error.userMessage;
  }
}

// --- cell schemas ---------------------------------------------------------------------------

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const text = (max = 200) =>
  z
    .string({ error: "is required" })
    .trim()
    .min(1, "is required")
    .max(max, `is longer than ${max} characters`);
/** A name of a client, project, milestone or person: one visible line (see nameProblem). */
const nameText = (max = 200) =>
  text(max).superRefine((value, ctx) => {
    const problem = nameProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
const optionalText = (max = 200) => z.preprocess(blankToUndefined, text(max).optional());
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
    z.enum(values, { error: `must be one of ${values.join(", ")}` }),
  );
const currencyCode = z
  .string({ error: "is required" })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, "must be an ISO 4217 code of three letters, such as EUR, USD or GBP");
const optionalCurrency = z.preprocess(blankToUndefined, currencyCode.optional());
const countryCode = z
  .string({ error: "is required" })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, "must be an ISO 3166 country code of two letters, such as ES, FR or US");
const email = z.email("is not an e-mail address");
const emailList = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v
          .split(/[;,\s]+/)
          .map((e) => e.trim().toLowerCase())
          .filter(Boolean)
      : v,
  z.array(email).max(20, "has more than 20 addresses"),
);
const roleList = z.preprocess(
  (v) =>
    typeof v === "string"
      ? v
          .split(/[;,\s]+/)
          .filter(Boolean)
          .map((r) => r.toLowerCase())
      : v,
  z.array(z.string()).transform((names, ctx) => {
    const unknown = names.filter((n) => !(ROLES as readonly string[]).includes(n));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `has unknown role${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `"${n}"`).join(", ")}: use ${ROLES.join(", ")}`,
      });
      return z.NEVER;
    }
    return [...new Set(names)] as Role[];
  }),
);
const code = z
  .string({ error: "is required" })
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, "must be 1 to 32 letters, digits, '.', '_' or '-', no spaces");
const documentNumber = z
  .string({ error: "is required" })
  .trim()
  .min(1, "is required")
  .max(64, "is longer than 64 characters");

function amount(options: ImportRowOptions, sign: "positive" | "nonNegative") {
  return z.string({ error: "is required" }).transform((raw, ctx) => {
    if (raw.trim() === "") {
      ctx.addIssue({ code: "custom", message: "is required" });
      return z.NEVER;
    }
    const result = normalizeDecimal(raw, options);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message });
      return z.NEVER;
    }
    const ok = result.text;
    if (ok.startsWith("-") || (sign === "positive" && /^0(\.0*)?$/.test(ok))) {
      ctx.addIssue({
        code: "custom",
        message: sign === "positive" ? "must be greater than zero" : "must not be negative",
      });
      return z.NEVER;
    }
    return ok;
  });
}
/** A date cell: ISO always, DD/MM/YYYY (also with - or .) with --day-first; the refusal quotes the cell. */
function calendarDate(options: ImportRowOptions) {
  return z.string({ error: "is required" }).transform((raw, ctx) => {
    const reading = readWrittenDate(raw, options.dayFirst ? "day-first" : undefined);
    if (reading.ok) return reading.date;
    const cell = raw.trim();
    const message =
      cell === ""
        ? "is required"
        : reading.why === "order_needed"
          ? `"${cell}" is not a date YYYY-MM-DD; for day-first dates like 14/06/2026 add --day-first`
          : reading.why === "no_such_day"
            ? `"${cell}" is not a day of the calendar (read as ${reading.readAs})`
            : `"${cell}" must be a calendar date written ${options.dayFirst ? "DD/MM/YYYY or YYYY-MM-DD, such as 31/03/2026" : "YYYY-MM-DD, such as 2026-03-31"}`;
    ctx.addIssue({ code: "custom", message });
    return z.NEVER;
  });
}
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

// --- row schemas ----------------------------------------------------------------------------

/** The client cells that can also be edited in Slack (`/cobro client`), with the same rules. */
export const clientEditableCells = {
  name: nameText(200),
  emails: z.preprocess((v) => v ?? "", emailList),
  payment_terms_days: z.preprocess(
    (v) => blankToUndefined(v) ?? "30",
    z
      .string()
      .trim()
      .regex(/^\d{1,3}$/, "must be a whole number of days")
      .transform(Number)
      .refine((n) => n <= 365, "must be at most 365 days"),
  ),
  language: z.preprocess((v) => blankToUndefined(v) ?? "en", oneOf(["es", "fr", "en"] as const)),
  tax_id: z.preprocess(
    (v) => (typeof v === "string" ? v.replace(/[\s.-]/g, "").toUpperCase() : v),
    optionalText(32),
  ),
  country: countryCode,
  ...clientDetailCells,
};

/** The project cells that can also be edited in Slack (`/cobro project`), with the same rules. */
export function projectEditableCells(options: ImportRowOptions = {}) {
  return {
    name: nameText(200),
    slack_channel: optional(
      z
        .string()
        .trim()
        .regex(/^[CG][A-Z0-9]{6,}$/, "must be a Slack channel id such as C0123ABCD (not a #name)"),
    ),
    pm_email: optional(z.string().trim().toLowerCase().pipe(email)),
    approver_email: optional(z.string().trim().toLowerCase().pipe(email)),
    hourly_rate: optional(amount(options, "nonNegative")),
  };
}

function rowSchemas(options: ImportRowOptions) {
  return {
    people: z.object({
      email: z.string({ error: "is required" }).trim().toLowerCase().pipe(email),
      name: nameText(200),
      roles: optional(roleList),
      slack_user_id: optional(
        z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^[UW][A-Z0-9]{2,}$/, "must be a Slack user id such as U0123ABCD (not a @name)"),
      ),
      hourly_rate: optional(amount(options, "nonNegative")),
      currency: optionalCurrency,
      approver_email: optional(z.string().trim().toLowerCase().pipe(email)),
    }),
    clients: z
      .object({
        external_id: text(64),
        profile: oneOf(["public", "business", "individual"] as const),
        currency: currencyCode,
        ...clientEditableCells,
      })
      .superRefine(refineClientDetails),
    projects: z.object({
      code,
      client_external_id: text(64),
      billing_mode: z.preprocess(
        (v) =>
          typeof v === "string" && /^(t&m|tm|time[ _-]?and[ _-]?materials?)$/i.test(v.trim()) ? "time" : v,
        oneOf(["fixed", "time"] as const),
      ),
      currency: optionalCurrency,
      ...projectEditableCells(options),
    }),
    milestones: z.object({
      project_code: code,
      name: nameText(200),
      amount: amount(options, "positive"),
      planned_date: optional(calendarDate(options)),
      status: z.preprocess((v) => blankToUndefined(v) ?? "planned", oneOf(["planned", "done"] as const)),
    }),
    invoices: z
      .object({
        number: documentNumber,
        client_external_id: text(64),
        project_code: optional(code),
        issue_date: calendarDate(options),
        due_date: calendarDate(options),
        currency: currencyCode,
        total: amount(options, "positive"),
        open_amount: optional(amount(options, "nonNegative")),
        pdf: optionalText(500),
      })
      .superRefine((row, ctx) => {
        if (row.due_date < row.issue_date) {
          ctx.addIssue({ code: "custom", path: ["due_date"], message: "is before issue_date" });
        }
      }),
    payments: z.object({
      invoice_number: documentNumber,
      date: calendarDate(options),
      amount: amount(options, "positive"),
      method: z.preprocess((v) => {
        const value = blankToUndefined(v) ?? "transfer";
        return value === "check" ? "cheque" : value;
      }, oneOf(PAYMENT_METHODS)),
      reference: optionalText(140),
      currency: optionalCurrency,
    }),
  };
}

type Schemas = ReturnType<typeof rowSchemas>;
type Parsed<K extends ImportKind> = z.output<Schemas[K]>;

// --- typed rows -----------------------------------------------------------------------------

export type PersonImportRow = {
  line: number;
  email: string;
  name: string;
  /** null: the cell was blank, roles stay as they are. */
  roles: Role[] | null;
  slackUserId: string | null;
  hourlyRate: DecimalText | null;
  currency: string | null;
  approverEmail: string | null;
};
export type ClientImportRow = {
  line: number;
  externalId: string;
  name: string;
  profile: "public" | "business" | "individual";
  emails: string[];
  currency: string;
  paymentTermsDays: number;
  language: "es" | "fr" | "en";
  taxId: string | null;
  country: string;
  /** Blank cells are undefined: re-importing keeps what was set in Slack. */
  details: Omit<ClientDetails, "taxId">;
};
export type ProjectImportRow = {
  line: number;
  code: string;
  clientExternalId: string;
  name: string;
  billingMode: "fixed" | "time";
  currency: string | null;
  slackChannelId: string | null;
  pmEmail: string | null;
  approverEmail: string | null;
  hourlyRate: DecimalText | null;
};
export type MilestoneImportRow = {
  line: number;
  projectCode: string;
  name: string;
  amount: DecimalText;
  plannedDate: string | null;
  status: "planned" | "done";
};
export type InvoiceImportRow = {
  line: number;
  number: string;
  clientExternalId: string;
  projectCode: string | null;
  issueDate: string;
  dueDate: string;
  currency: string;
  totalMinor: number;
  /** Open amount at import, before payments imported separately; defaults to the total. */
  openMinor: number;
  /** The original PDF, a path relative to the CSV file; reminders attach it instead of nothing. */
  pdfPath: string | null;
};
export type PaymentImportRow = {
  line: number;
  invoiceNumber: string;
  paidOn: string;
  amount: DecimalText;
  method: (typeof PAYMENT_METHODS)[number];
  reference: string | null;
  currency: string | null;
};
export type ImportRowByKind = {
  people: PersonImportRow;
  clients: ClientImportRow;
  projects: ProjectImportRow;
  milestones: MilestoneImportRow;
  invoices: InvoiceImportRow;
  payments: PaymentImportRow;
};

export const IMPORT_COLUMNS: { [K in ImportKind]: { required: string[]; optional: string[] } } = {
  people: {
    required: ["email", "name"],
    optional: ["roles", "slack_user_id", "hourly_rate", "currency", "approver_email"],
  },
  clients: {
    required: ["external_id", "name", "profile", "currency", "country"],
    optional: ["emails", "payment_terms_days", "language", "tax_id", ...CLIENT_DETAIL_COLUMNS],
  },
  projects: {
    required: ["code", "client_external_id", "name", "billing_mode"],
    optional: ["currency", "slack_channel", "pm_email", "approver_email", "hourly_rate"],
  },
  milestones: { required: ["project_code", "name", "amount"], optional: ["planned_date", "status"] },
  invoices: {
    required: ["number", "client_external_id", "issue_date", "due_date", "currency", "total"],
    optional: ["project_code", "open_amount", "pdf"],
  },
  payments: {
    required: ["invoice_number", "date", "amount"],
    optional: ["method", "reference", "currency"],
  },
};

const toTyped: { [K in ImportKind]: (p: Parsed<K>, line: number) => ImportRowByKind[K] | RowError } = {
  people: (p, line) =>
    p.approver_email === p.email
      ? {
          line,
          column: "approver_email",
          message: "is the person themselves: leave it blank or name someone else",
        }
      : {
          line,
          email: p.email,
          name: p.name,
          roles: p.roles ?? null,
          slackUserId: p.slack_user_id ?? null,
          hourlyRate: (p.hourly_rate as DecimalText | undefined) ?? null,
          currency: p.currency ?? null,
          approverEmail: p.approver_email ?? null,
        },
  clients: (p, line) => {
    const { taxId, ...details } = toClientDetails(p);
    return {
      line,
      externalId: p.external_id,
      name: p.name,
      profile: p.profile,
      emails: p.emails,
      currency: p.currency,
      paymentTermsDays: p.payment_terms_days,
      language: p.language,
      taxId: taxId ?? null,
      country: p.country,
      details,
    };
  },
  projects: (p, line) => ({
    line,
    code: p.code,
    clientExternalId: p.client_external_id,
    name: p.name,
    billingMode: p.billing_mode,
    currency: p.currency ?? null,
    slackChannelId: p.slack_channel ?? null,
    pmEmail: p.pm_email ?? null,
    approverEmail: p.approver_email ?? null,
    hourlyRate: (p.hourly_rate as DecimalText | undefined) ?? null,
  }),
  milestones: (p, line) => ({
    line,
    projectCode: p.project_code,
    name: p.name,
    amount: p.amount as DecimalText,
    plannedDate: p.planned_date ?? null,
    status: p.status,
  }),
  invoices: (p, line) => {
    const total = decimalToMinor(p.total as DecimalText, p.currency);
    if (typeof total === "string") return { line, column: "total", message: total };
    const open =
      p.open_amount === undefined ? total : decimalToMinor(p.open_amount as DecimalText, p.currency);
    if (typeof open === "string") return { line, column: "open_amount", message: open };
    if (open > total) return { line, column: "open_amount", message: "is larger than total" };
    return {
      line,
      number: p.number,
      clientExternalId: p.client_external_id,
      projectCode: p.project_code ?? null,
      issueDate: p.issue_date,
      dueDate: p.due_date,
      currency: p.currency,
      totalMinor: total,
      openMinor: open,
      pdfPath: p.pdf ?? null,
    };
  },
  payments: (p, line) => ({
    line,
    invoiceNumber: p.invoice_number,
    paidOn: p.date,
    amount: p.amount as DecimalText,
    method: p.method,
    reference: p.reference ?? null,
    currency: p.currency ?? null,
  }),
};

/** Header problems (missing or unknown columns), reported on line 1. */
export function checkHeader(kind: ImportKind, header: readonly string[]): RowError[] {
  const { required, optional } = IMPORT_COLUMNS[kind];
  const known = new Set([...required, ...optional]);
  const errors: RowError[] = [];
  const seen = new Set<string>();
  for (const column of header) {
    if (!known.has(column)) {
      errors.push({
        line: 1,
        column: column || "(empty)",
        message: `unknown column for ${kind}; expected ${[...required, ...optional].join(", ")}`,
      });
    } else if (seen.has(column)) {
      errors.push({ line: 1, column, message: "appears twice in the header" });
    }
    seen.add(column);
  }
  for (const column of required) {
    if (!seen.has(column)) errors.push({ line: 1, column, message: "required column is missing" });
  }
  return errors;
}

/** The key that identifies a row across re-imports, to catch the same row twice in one file. */
const naturalKey: { [K in ImportKind]: (row: ImportRowByKind[K]) => string | undefined } = {
  people: (r) => r.email,
  clients: (r) => r.externalId,
  projects: (r) => projectCodeKey(r.code),
  milestones: (r) => `${projectCodeKey(r.projectCode)}\u0000${r.name.toLowerCase()}`,
  invoices: (r) => r.number,
  payments: () => undefined,
};
const keyColumn: Record<ImportKind, string> = {
  people: "email",
  clients: "external_id",
  projects: "code",
  milestones: "name",
  invoices: "number",
  payments: "invoice_number",
};

export function validateImportRows<K extends ImportKind>(
  kind: K,
  rows: readonly RawRow[],
  options: ImportRowOptions & { memory?: ValidationMemory } = {},
): { rows: ImportRowByKind[K][]; errors: RowError[] } {
  const schema = rowSchemas(options)[kind] as unknown as z.ZodType<Parsed<K>>;
  const typed: ImportRowByKind[K][] = [];
  const errors: RowError[] = [];
  const firstLineByKey = options.memory ?? validationMemory();
  for (const raw of rows) {
    const result = schema.safeParse(raw.cells);
    if (!result.success) {
      for (const issue of result.error.issues) {
        errors.push({ line: raw.line, column: String(issue.path[0] ?? "row"), message: issue.message });
      }
      continue;
    }
    const row = toTyped[kind](result.data, raw.line);
    if ("message" in row) {
      errors.push(row);
      continue;
    }
    const key = naturalKey[kind](row);
    if (key !== undefined) {
      const first = firstLineByKey.get(key);
      if (first !== undefined) {
        errors.push({ line: raw.line, column: keyColumn[kind], message: `repeats line ${first}` });
        continue;
      }
      firstLineByKey.set(key, raw.line);
    }
    typed.push(row);
  }
  return { rows: typed, errors };
}

export function formatRowError(error: RowError): string {
  return `line ${error.line}, column ${error.column}: ${error.message}`;
}

/** A form saved with the CSV's rules (`/cobro client`, `/cobro project`): its refusals by field. */
export type FieldErrors = Record<string, string>;
/** Zod issues by field, the first one of each, as a sentence. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "");
    // CSV messages follow a column name ("siren: is not a valid SIREN"); under a field they stand alone.
    const bare = issue.message.replace(/^is /, "");
    const message = bare.charAt(0).toUpperCase() + bare.slice(1);
    errors[field] ??= message.endsWith(".") ? message : `${message}.`;
  }
  return errors;
}
