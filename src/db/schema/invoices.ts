// Invoices, their lines, number series, payments and exchange rates.
import { sql } from "drizzle-orm";
import {
  check,
  customType,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, currency, id, minor, timestamptz, updatedAt, workspaceId } from "./columns.ts";
import { clients, members, milestones, projects } from "./parties.ts";
import type { PartyAddress, SellerIdentity } from "./workspaces.ts";

export const DOC_KINDS = ["invoice", "credit_note", "interest_note", "deposit"] as const;
export type DocKind = (typeof DOC_KINDS)[number];

/** Gapless numbering: one locked counter row per workspace, series code and period (e.g. year). */
export const numberSeries = pgTable(
  "number_series",
  {
    id: id(),
    workspaceId: workspaceId(),
    code: text("code").notNull(),
    docKind: text("doc_kind", { enum: DOC_KINDS }).notNull(),
    format: text("format").notNull(),
    periodKey: text("period_key").notNull().default(""),
    nextNo: integer("next_no").notNull().default(1),
    lastIssueDate: date("last_issue_date"),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.workspaceId, t.code, t.periodKey)],
);

export const INVOICE_STATUSES = [
  "draft",
  "held",
  "issued",
  "partially_paid",
  "paid",
  "credited",
  "void",
] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export type BuyerSnapshot = {
  name: string;
  address?: PartyAddress;
  country: string;
  taxId?: string;
  siren?: string;
  emails: string[];
  language: "es" | "fr" | "en";
  profile: "public" | "business" | "individual";
  poReference?: string;
  electronicAddress?: string;
};
export type VatBreakdownRow = {
  category: string;
  rateBp: number;
  baseMinor: number;
  vatMinor: number;
  exemptionReason?: string;
};

export const invoices = pgTable(
  "invoices",
  {
    id: id(),
    workspaceId: workspaceId(),
    kind: text("kind", { enum: DOC_KINDS }).notNull().default("invoice"),
    status: text("status", { enum: INVOICE_STATUSES }).notNull().default("draft"),
    // EN 16931 BT-3: 380 invoice, 381 credit note, 386 prepayment, 383 debit (interest) note.
    typeCode: text("type_code").notNull().default("380"),
    seriesId: uuid("series_id").references(() => numberSeries.id),
    number: text("number"),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "restrict" }),
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "set null" }),
    milestoneId: uuid("milestone_id").references(() => milestones.id, { onDelete: "set null" }),
    currency: currency().notNull(),
    issueDate: date("issue_date"),
    dueDate: date("due_date"),
    servicePeriodStart: date("service_period_start"),
    servicePeriodEnd: date("service_period_end"),
    subtotalMinor: minor("subtotal_minor").notNull().default(0),
    vatMinor: minor("vat_minor").notNull().default(0),
    withholdingMinor: minor("withholding_minor").notNull().default(0),
    // Frozen at issue with the amount, so the PDF can print "IRPF 15 %".
    withholdingRateBp: integer("withholding_rate_bp").notNull().default(0),
    // Total incl. VAT (BT-112); the collectible amount is total − withholding.
    totalMinor: minor("total_minor").notNull().default(0),
    // Cached open amount (collectible − payments − credit notes), kept in the same transaction as
    // every payment or credit note, so /aging reads one indexed column instead of summing history.
    openMinor: minor("open_minor").notNull().default(0),
    vatBreakdown: jsonb("vat_breakdown").$type<VatBreakdownRow[]>().notNull().default(sql`'[]'::jsonb`),
    // Exchange rate to the workspace base currency, frozen at issue: 1 invoice unit = rate base units.
    baseCurrency: currency("base_currency"),
    exchangeRate: numeric("exchange_rate", { precision: 20, scale: 10 }),
    exchangeRateDate: date("exchange_rate_date"),
    exchangeRateSource: text("exchange_rate_source"),
    seller: jsonb("seller").$type<SellerIdentity>(),
    buyer: jsonb("buyer").$type<BuyerSnapshot>(),
    paymentTermsDays: integer("payment_terms_days"),
    paymentTermsRule: text("payment_terms_rule", { enum: ["net", "end_of_month"] }),
    paymentMeansCode: text("payment_means_code").notNull().default("58"),
    correctsInvoiceId: uuid("corrects_invoice_id"),
    correctionReason: text("correction_reason"),
    notes: text("notes"),
    // true for receivables imported from another system: they were numbered there.
    external: text("source", { enum: ["cobro", "import", "demo"] })
      .notNull()
      .default("cobro"),
    issuedAt: timestamptz("issued_at"),
    issuedByMemberId: uuid("issued_by_member_id").references(() => members.id, { onDelete: "set null" }),
    sentAt: timestamptz("sent_at"),
    receiptToken: text("receipt_token").unique(),
    receivedAt: timestamptz("received_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("invoices_workspace_number_key")
      .on(t.workspaceId, t.number)
      .where(sql`${t.number} is not null`),
    // Trailing columns make /aging an index-only scan of the open invoices: without them the
    // ~100k open rows of 1M are scattered over most heap pages (≈ 1 s cold on the bench).
    index("invoices_open_idx")
      .on(
        t.workspaceId,
        t.dueDate,
        t.issueDate,
        t.clientId,
        t.currency,
        t.openMinor,
        t.kind,
        t.status,
        t.projectId,
        t.id,
      )
      .where(sql`${t.openMinor} <> 0`),
    // The /aging summary groups the open invoices by client and currency: in this order the
    // grouping streams from the index (no hash table, no spill) and stays index-only.
    index("invoices_open_client_idx")
      .on(
        t.workspaceId,
        t.clientId,
        t.currency,
        t.dueDate,
        t.issueDate,
        t.openMinor,
        t.kind,
        t.status,
        t.projectId,
        t.id,
      )
      .where(sql`${t.openMinor} <> 0`),
    // Aging as-of snapshots (credit notes issued after asOf) and monthly credit sales for DSO/CEI,
    // index-only (amounts included).
    index("invoices_issue_date_idx").on(
      t.workspaceId,
      t.issueDate,
      t.currency,
      t.kind,
      t.status,
      t.totalMinor,
      t.withholdingMinor,
    ),
    index().on(t.clientId),
    index().on(t.projectId),
    // The month-end aging triggers find the credit notes of an invoice.
    index("invoices_corrects_idx").on(t.correctsInvoiceId).where(sql`${t.correctsInvoiceId} is not null`),
  ],
);

export const VAT_CATEGORIES = ["S", "Z", "E", "AE", "K", "G", "O", "L", "M"] as const;

export const invoiceLines = pgTable(
  "invoice_lines",
  {
    id: id(),
    workspaceId: workspaceId(),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    description: text("description").notNull(),
    quantityMilli: minor("quantity_milli").notNull(),
    // UN/ECE rec. 20 unit code (BT-130): HUR hour, C62 unit, DAY day.
    unitCode: text("unit_code").notNull().default("C62"),
    unitPriceMinor: minor("unit_price_minor").notNull(),
    // Item price base quantity (BT-149), thousandths of the unit: a time line is quantity in
    // minutes at an hourly price (base 60 min), so any duration bills exactly.
    priceBaseQuantityMilli: minor("price_base_quantity_milli").notNull().default(1000),
    netMinor: minor("net_minor").notNull(),
    vatCategory: text("vat_category", { enum: VAT_CATEGORIES }).notNull().default("S"),
    vatRateBp: integer("vat_rate_bp").notNull(),
    exemptionReason: text("exemption_reason"),
    periodStart: date("period_start"),
    periodEnd: date("period_end"),
    milestoneId: uuid("milestone_id"),
    timesheetId: uuid("timesheet_id"),
  },
  (t) => [
    unique().on(t.invoiceId, t.position),
    check("invoice_lines_price_base_positive", sql`${t.priceBaseQuantityMilli} > 0`),
  ],
);

/** Money that changed hands (a payment in, a refund out): same columns, in the same order, in both tables. */
const moneyMoved = () => ({
  amountMinor: minor("amount_minor").notNull(),
  currency: currency().notNull(),
  paidOn: date("paid_on").notNull(),
  method: text("method").notNull().default("transfer"),
  reference: text("reference"),
  // Natural key for idempotent imports and double clicks: same invoice, day, amount, reference.
  dedupeKey: text("dedupe_key").notNull(),
});

export const payments = pgTable(
  "payments",
  {
    id: id(),
    workspaceId: workspaceId(),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "restrict" }),
    ...moneyMoved(),
    recordedByMemberId: uuid("recorded_by_member_id").references(() => members.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    unique().on(t.workspaceId, t.dedupeKey),
    index().on(t.invoiceId, t.paidOn),
    // Aging as-of snapshots add back payments dated after asOf; collections of the month for CEI.
    index("payments_workspace_paid_on_idx").on(
      t.workspaceId,
      t.paidOn,
      t.invoiceId,
      t.currency,
      t.amountMinor,
    ),
  ],
);

/** Money paid back to a client for a credit note on a paid invoice: clears the refund due. */
export const refunds = pgTable(
  "refunds",
  {
    id: id(),
    workspaceId: workspaceId(),
    // The invoice the refund due arose on (paid, then credited), and the credit note it answers.
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "restrict" }),
    creditNoteId: uuid("credit_note_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "restrict" }),
    ...moneyMoved(),
    createdAt: createdAt(),
  },
  (t) => [
    unique().on(t.workspaceId, t.dedupeKey),
    index().on(t.invoiceId),
    check("refunds_amount_positive", sql`${t.amountMinor} > 0`),
  ],
);

export const exchangeRates = pgTable(
  "exchange_rates",
  {
    id: id(),
    workspaceId: workspaceId(),
    // 1 unit of `currency` = `rate` units of `baseCurrency`.
    currency: currency().notNull(),
    baseCurrency: currency("base_currency").notNull(),
    rate: numeric("rate", { precision: 20, scale: 10 }).notNull(),
    onDate: date("on_date").notNull(),
    source: text("source").notNull().default("manual"),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.workspaceId, t.currency, t.baseCurrency, t.onDate)],
);

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => Buffer.from(value),
});

/** The original PDF of a receivable imported from another system: what its reminders attach. */
export const importedInvoicePdfs = pgTable("imported_invoice_pdfs", {
  invoiceId: uuid("invoice_id")
    .primaryKey()
    .references(() => invoices.id, { onDelete: "cascade" }),
  workspaceId: workspaceId(),
  filename: text("filename").notNull(),
  sha256: text("sha256").notNull(),
  content: bytea("content").notNull(),
  createdAt: createdAt(),
});
