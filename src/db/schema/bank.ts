// Bank statement lines imported from camt.053/054, Norma 43 and CFONB 120 files, each stored once,
// with what it paid or what it might pay; and the payers' IBANs learned per client.
import { date, index, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import type { BankReason, MatchPlan, SuggestedInvoice } from "../../domain/bank-matching.ts";
import { createdAt, currency, id, minor, updatedAt, workspaceId } from "./columns.ts";
import { clients } from "./parties.ts";

// suggested: a card waits for Confirm / Pick another / Not ours; dismissed: "Not ours".
export const BANK_LINE_OUTCOMES = ["pending", "paid", "suggested", "unmatched", "dismissed"] as const;

export type BankLineSuggestion = { plan: MatchPlan; candidates: SuggestedInvoice[] };

export const bankLines = pgTable(
  "bank_lines",
  {
    id: id(),
    workspaceId: workspaceId(),
    // The bank's reference, else a hash of account, date, amount and text (see domain/bank-statement.ts).
    dedupeKey: text("dedupe_key").notNull(),
    format: text("format").notNull(),
    account: text("account").notNull(),
    bookedOn: date("booked_on").notNull(),
    amountMinor: minor("amount_minor").notNull(),
    currency: currency().notNull(),
    bankRef: text("bank_ref"),
    text: text("text").notNull(),
    payerName: text("payer_name"),
    payerIban: text("payer_iban"),
    // pending until matched: a line left pending by a crash is matched again on the next import.
    outcome: text("outcome", { enum: BANK_LINE_OUTCOMES }).notNull().default("pending"),
    // Why it was paid, suggested, left or settled: a code and its values, said in each reader's language.
    reason: jsonb("reason").$type<BankReason>(),
    paid: jsonb("paid").$type<{ invoiceId: string; number: string; amountMinor: number }[]>(),
    suggestion: jsonb("suggestion").$type<BankLineSuggestion>(),
    // Received beyond what the paid invoices had open: to refund or keep as the client's credit.
    overpaidMinor: minor("overpaid_minor").notNull().default(0),
    settledBy: text("settled_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique().on(t.workspaceId, t.dedupeKey), index().on(t.workspaceId, t.outcome)],
);
export type BankLineRow = typeof bankLines.$inferSelect;

/** An IBAN a client paid from, learned from a match someone (or an invoice reference) confirmed. */
export const clientBankAccounts = pgTable(
  "client_bank_accounts",
  {
    id: id(),
    workspaceId: workspaceId(),
    clientId: uuid("client_id")
      .notNull()
      .references(() => clients.id, { onDelete: "cascade" }),
    iban: text("iban").notNull(),
    learnedFromLineId: uuid("learned_from_line_id").references(() => bankLines.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [unique().on(t.workspaceId, t.iban, t.clientId)],
);

export const BANK_FILE_STATUSES = ["importing", "imported", "refused", "failed"] as const;

/**
 * A statement file shared with Cobro in Slack, claimed once by its Slack file id: Slack's retries,
 * a second event for the same file and a re-share do nothing again. A "failed" claim (Slack did not
 * hand the file over) may be claimed again.
 */
export const bankFiles = pgTable(
  "bank_files",
  {
    id: id(),
    workspaceId: workspaceId(),
    slackFileId: text("slack_file_id").notNull(),
    channelId: text("channel_id").notNull(),
    sharedBy: text("shared_by").notNull(),
    status: text("status", { enum: BANK_FILE_STATUSES }).notNull().default("importing"),
    summary: jsonb("summary").$type<Record<string, number>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique().on(t.workspaceId, t.slackFileId)],
);
