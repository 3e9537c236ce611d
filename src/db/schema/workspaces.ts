import { sql } from "drizzle-orm";
import { char, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

import type { Seller } from "../../domain/invoice-parties.ts";

// Legal identity printed on invoices and carried into e-invoices (EN 16931 BG-4, VERI*FACTU issuer).
export type { Address as PartyAddress, Seller as SellerIdentity } from "../../domain/invoice-parties.ts";

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
  seller: jsonb("seller").$type<Seller>(),
  billingChannelId: text("billing_channel_id"),
  collectionsChannelId: text("collections_channel_id"),
  settings: jsonb("settings").$type<WorkspaceSettings>().notNull().default(sql`'{}'::jsonb`),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
