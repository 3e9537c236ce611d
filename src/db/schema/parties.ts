// Members (people with roles), clients and projects.
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { CLIENT_PAYMENT_METHODS, EINVOICE_ATTACHMENTS } from "../../domain/client-details.ts";
import type { Role } from "../../domain/permissions.ts";
import { createdAt, currency, id, minor, timestamptz, updatedAt, workspaceId } from "./columns.ts";
import type { PartyAddress } from "./workspaces.ts";

export { ROLES, type Role } from "../../domain/permissions.ts";

export const members = pgTable(
  "members",
  {
    id: id(),
    workspaceId: workspaceId(),
    slackUserId: text("slack_user_id"),
    email: text("email"),
    name: text("name").notNull(),
    roles: text("roles").array().$type<Role[]>().notNull().default(sql`'{}'::text[]`),
    /** Default rate of this person's time, used when a project sets none. */
    hourlyRateMinor: minor("hourly_rate_minor"),
    hourlyRateCurrency: currency("hourly_rate_currency"),
    /** Who approves this person's timesheets when a project names no approver. */
    approverMemberId: uuid("approver_member_id").references((): AnyPgColumn => members.id, {
      onDelete: "set null",
    }),
    /** The language they chose for Cobro in Slack (`/cobro language`); null: their Slack language. */
    language: text("language", { enum: ["es", "fr", "en"] }),
    /** Their Slack language as last seen (users.info), for DMs sent when they are not asking. */
    slackLanguage: text("slack_language", { enum: ["es", "fr", "en"] }),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.workspaceId, t.slackUserId), unique().on(t.workspaceId, t.email)],
);

export const CLIENT_PROFILES = ["public", "business", "individual"] as const;
export type ClientProfile = (typeof CLIENT_PROFILES)[number];
export const LANGUAGES = ["es", "fr", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export const clients = pgTable(
  "clients",
  {
    id: id(),
    workspaceId: workspaceId(),
    externalId: text("external_id").notNull(),
    name: text("name").notNull(),
    profile: text("profile", { enum: CLIENT_PROFILES }).notNull(),
    emails: text("emails").array().notNull().default(sql`'{}'::text[]`),
    language: text("language", { enum: LANGUAGES }).notNull().default("en"),
    currency: currency().notNull(),
    paymentTermsDays: integer("payment_terms_days").notNull().default(30),
    // "net" = issue date + N days; "end_of_month" = end of the issue month + N days (FR reading 1).
    paymentTermsRule: text("payment_terms_rule", { enum: ["net", "end_of_month"] })
      .notNull()
      .default("net"),
    taxId: text("tax_id"),
    siren: text("siren"),
    country: text("country").notNull(),
    address: jsonb("address").$type<PartyAddress>(),
    poReference: text("po_reference"),
    electronicAddress: text("electronic_address"),
    /** Where the work is delivered when not at `address` (printed, and BG-15 in the e-invoice). */
    deliveryAddress: jsonb("delivery_address").$type<PartyAddress>(),
    /** What an invoice e-mail to this client carries besides the PDF; null: Cobro's default. */
    einvoiceAttachments: text("einvoice_attachments", { enum: EINVOICE_ATTACHMENTS }),
    // IRPF withholding (Spanish professionals billing businesses), basis points of the base; 0 = none.
    withholdingRateBp: integer("withholding_rate_bp").notNull().default(0),
    collectorMemberId: uuid("collector_member_id").references(() => members.id, { onDelete: "set null" }),
    // How this client pays; its invoices carry the matching payment means code. Null = transfer.
    paymentMethod: text("payment_method", { enum: CLIENT_PAYMENT_METHODS }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique().on(t.workspaceId, t.externalId), index().on(t.workspaceId, t.name)],
);

export const BILLING_MODES = ["fixed", "time"] as const;
export type BillingMode = (typeof BILLING_MODES)[number];

export const projects = pgTable(
  "projects",
  {
    id: id(),
    workspaceId: workspaceId(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "restrict" }),
    code: text("code").notNull(),
    name: text("name").notNull(),
    billingMode: text("billing_mode", { enum: BILLING_MODES }).notNull(),
    currency: currency().notNull(),
    slackChannelId: text("slack_channel_id"),
    pmMemberId: uuid("pm_member_id").references(() => members.id, { onDelete: "set null" }),
    approverMemberId: uuid("approver_member_id").references(() => members.id, { onDelete: "set null" }),
    hourlyRateMinor: minor("hourly_rate_minor"),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // Codes are looked up case-insensitively (imports, commands): lower(code) is indexed for them.
  (t) => [
    unique().on(t.workspaceId, t.code),
    index().on(t.clientId),
    index("projects_workspace_lower_code_idx").on(t.workspaceId, sql`lower(${t.code})`),
  ],
);

export const MILESTONE_STATUSES = ["planned", "done", "invoiced"] as const;
export type MilestoneStatus = (typeof MILESTONE_STATUSES)[number];

export const milestones = pgTable(
  "milestones",
  {
    id: id(),
    workspaceId: workspaceId(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    amountMinor: minor("amount_minor").notNull(),
    currency: currency().notNull(),
    plannedDate: date("planned_date"),
    status: text("status", { enum: MILESTONE_STATUSES }).notNull().default("planned"),
    doneAt: timestamptz("done_at"),
    doneByMemberId: uuid("done_by_member_id").references(() => members.id, { onDelete: "set null" }),
    invoiceId: uuid("invoice_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique().on(t.projectId, t.name), index().on(t.workspaceId, t.status)],
);
