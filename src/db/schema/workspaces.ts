import { sql } from "drizzle-orm";
import { char, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

// Legal identity printed on invoices and carried into e-invoices (EN 16931 BG-4, VERI*FACTU issuer).
export type PartyAddress = { line1: string; line2?: string; postcode: string; city: string; country: string };
export type SellerIdentity = {
  legalName: string;
  tradeName?: string;
  legalForm?: string;
  shareCapital?: string;
  address: PartyAddress;
  vatId?: string;
  siren?: string;
  siret?: string;
  rcs?: string;
  nif?: string;
  email?: string;
  phone?: string;
  iban?: string;
  bic?: string;
  paymentLink?: string;
  electronicAddress?: string;
  /** Spanish sellers: where they file (VERI*FACTU scope, IGIC and time zone in the Canaries). */
  taxTerritory?: "common" | "canarias" | "pais_vasco" | "navarra";
  /** Spanish sellers filing through the SII are outside VERI*FACTU. */
  siiFiler?: boolean;
  /** French sellers who opted to pay VAT on debits (CGI art. 269-2-c) must say so on invoices. */
  vatOnDebits?: boolean;
};

export type WorkspaceSettings = {
  autoIssueOnMilestone?: boolean;
  /** E-mail each client with overdue invoices its statement of account early each month. */
  monthlyStatements?: boolean;
  overdueScanHour?: number;
  agingEdges?: number[];
  billingCadence?: "monthly" | "weekly";
  approvalReminderDays?: number;
  /** Days reminders wait for a payment announced or in progress (pay link, "Paid already"); default 5. */
  paymentHoldDays?: number;
  /** `bank_fee_tolerance` as typed: "2.50" (in the invoice's currency) or "0.5%". */
  bankFeeTolerance?: string;
  jurisdiction?: "EU" | "FR" | "ES";
  invoiceSeriesFormat?: string;
  /** Number formats of the other series (the invoice series has its own field, above). */
  seriesFormats?: Partial<Record<"credit_note" | "interest_note", string>>;
};

export const workspaces = pgTable("workspaces", {
  id: uuid("id").primaryKey().defaultRandom(),
  slackTeamId: text("slack_team_id").unique(),
  slackEnterpriseId: text("slack_enterprise_id"),
  name: text("name").notNull(),
  timeZone: text("time_zone").notNull().default("Europe/Paris"),
  baseCurrency: char("base_currency", { length: 3 }).notNull().default("EUR"),
  locale: text("locale", { enum: ["en", "fr", "es"] })
    .notNull()
    .default("en"),
  seller: jsonb("seller").$type<SellerIdentity>(),
  billingChannelId: text("billing_channel_id"),
  collectionsChannelId: text("collections_channel_id"),
  settings: jsonb("settings").$type<WorkspaceSettings>().notNull().default(sql`'{}'::jsonb`),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
