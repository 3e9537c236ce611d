// Spain's VERI*FACTU: one hash chain per issuer NIF across all series, one record per issued
// invoice (alta) or cancellation (anulación), generated in the issuing transaction. The chained
// columns are immutable (trigger in migration 0023); only the AEAT submission state moves.
import { date, index, integer, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, workspaceId } from "./columns.ts";
import { invoices } from "./invoices.ts";

export const verifactuChains = pgTable(
  "verifactu_chains",
  {
    id: id(),
    workspaceId: workspaceId(),
    issuerNif: text("issuer_nif").notNull(),
    lastHash: text("last_hash"),
    lastSeriesNumber: text("last_series_number"),
    lastIssueDate: date("last_issue_date"),
    lastGeneratedAt: timestamp("last_generated_at", { withTimezone: true }),
    /** How many records the chain holds: the next record is number lastSequence + 1. */
    lastSequence: integer("last_sequence").notNull().default(0),
  },
  (t) => [unique().on(t.workspaceId, t.issuerNif)],
);

export const verifactuRecords = pgTable(
  "verifactu_records",
  {
    id: id(),
    workspaceId: workspaceId(),
    invoiceId: uuid("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "restrict" }),
    kind: text("kind", { enum: ["alta", "anulacion"] }).notNull(),
    issuerNif: text("issuer_nif").notNull(),
    seriesNumber: text("series_number").notNull(),
    issueDate: date("issue_date").notNull(),
    invoiceType: text("invoice_type").notNull(),
    // The exact string hashed, so the XML sent later and the hash never diverge.
    hashInput: text("hash_input").notNull(),
    hash: text("hash").notNull(),
    previousHash: text("previous_hash"),
    generatedAt: text("generated_at").notNull(),
    /** Position in the issuer's chain, from 1: the order records were generated and are sent in. */
    sequence: integer("sequence").notNull(),
    /** Rectificativas only: I (por diferencias) or S (por sustitución). */
    rectificationType: text("rectification_type", { enum: ["I", "S"] }),
    submissionStatus: text("submission_status", { enum: ["pending", "accepted", "rejected"] })
      .notNull()
      .default("pending"),
    aeatCsv: text("aeat_csv"),
    createdAt: createdAt(),
  },
  (t) => [
    unique().on(t.workspaceId, t.issuerNif, t.seriesNumber, t.kind),
    unique().on(t.workspaceId, t.issuerNif, t.sequence),
    index().on(t.invoiceId),
  ],
);
