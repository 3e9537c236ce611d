// Spain's VERI*FACTU: one hash chain per issuer NIF across all series, one record per issued
// invoice (alta) or cancellation (anulación), generated in the issuing transaction. The chained
// columns are immutable (trigger in migration 0023); only the AEAT submission state moves.
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  boolean,
  date,
  index,
  integer,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { createdAt, id, timestamptz, workspaceId } from "./columns.ts";
import { invoices } from "./invoices.ts";

export const VERIFACTU_SUBMISSION_STATUSES = [
  "pending",
  "accepted",
  "accepted_with_errors",
  "rejected",
  /** Replaced by a corrected record (Subsanacion), which is sent in its place. */
  "corrected",
] as const;

export const verifactuChains = pgTable(
  "verifactu_chains",
  {
    id: id(),
    workspaceId: workspaceId(),
    issuerNif: text("issuer_nif").notNull(),
    lastHash: text("last_hash"),
    lastSeriesNumber: text("last_series_number"),
    lastIssueDate: date("last_issue_date"),
    lastGeneratedAt: timestamptz("last_generated_at"),
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
    submissionStatus: text("submission_status", { enum: VERIFACTU_SUBMISSION_STATUSES })
      .notNull()
      .default("pending"),
    aeatCsv: text("aeat_csv"),
    /** The AEAT's answer for this record (CodigoErrorRegistro, DescripcionErrorRegistro). */
    aeatErrorCode: text("aeat_error_code"),
    aeatError: text("aeat_error"),
    sentAt: timestamptz("sent_at"),
    /** Waited through a failed send: goes out with RemisionVoluntaria/Incidencia = S. */
    incident: boolean("incident").notNull().default(false),
    /** A corrected re-send (Subsanacion = S) of `correctsRecordId`; RechazoPrevio S when that one was refused. */
    correctsRecordId: uuid("corrects_record_id").references((): AnyPgColumn => verifactuRecords.id),
    rechazoPrevio: text("rechazo_previo", { enum: ["N", "S"] }),
    createdAt: createdAt(),
  },
  (t) => [
    // One live alta (and anulación) per invoice: a corrected one gives way to its correction.
    uniqueIndex("verifactu_records_one_live_per_invoice")
      .on(t.workspaceId, t.issuerNif, t.seriesNumber, t.kind)
      .where(sql`submission_status <> 'corrected'`),
    unique().on(t.workspaceId, t.issuerNif, t.sequence),
    index().on(t.invoiceId),
    index("verifactu_records_unsent")
      .on(t.workspaceId, t.issuerNif, t.sequence)
      .where(sql`submission_status = 'pending'`),
  ],
);

/**
 * Who may send an issuer's records now (a lease, so two instances never send one twice), and when
 * the AEAT allows the next request (TiempoEsperaEnvio) or, after a failure, the next retry.
 */
export const verifactuSenders = pgTable(
  "verifactu_senders",
  {
    id: id(),
    workspaceId: workspaceId(),
    issuerNif: text("issuer_nif").notNull(),
    lockedBy: text("locked_by"),
    lockedUntil: timestamptz("locked_until"),
    nextSendAt: timestamptz("next_send_at"),
    waitSeconds: integer("wait_seconds").notNull().default(60),
    lastSentAt: timestamptz("last_sent_at"),
    failingSince: timestamptz("failing_since"),
    failures: integer("failures").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [unique().on(t.workspaceId, t.issuerNif)],
);

/** The taxpayer's client certificate for the AEAT, sealed with the workspace key (src/secrets.ts). */
export const verifactuCertificates = pgTable("verifactu_certificates", {
  id: id(),
  workspaceId: workspaceId().unique(),
  sealed: text("sealed").notNull(),
  subject: text("subject").notNull(),
  notAfter: timestamptz("not_after").notNull(),
  fingerprint: text("fingerprint").notNull(),
  createdAt: createdAt(),
});
