// Bank statement lines imported from camt.053/054 and Norma 43 files, each stored once, with what it paid.
import { date, index, jsonb, pgTable, text, unique } from "drizzle-orm/pg-core";
import { createdAt, currency, id, minor, updatedAt, workspaceId } from "./columns.ts";

export const BANK_LINE_OUTCOMES = ["pending", "paid", "unmatched"] as const;

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
    // pending until matched: a line left pending by a crash is matched again on the next import.
    outcome: text("outcome", { enum: BANK_LINE_OUTCOMES }).notNull().default("pending"),
    reason: text("reason"),
    paid: jsonb("paid").$type<{ invoiceId: string; number: string; amountMinor: number }[]>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique().on(t.workspaceId, t.dedupeKey), index().on(t.workspaceId, t.outcome)],
);
export type BankLineRow = typeof bankLines.$inferSelect;
