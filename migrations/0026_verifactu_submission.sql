CREATE TABLE "verifactu_certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"sealed" text NOT NULL,
	"subject" text NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"fingerprint" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "verifactu_certificates_workspace_id_unique" UNIQUE("workspace_id")
);
--> statement-breakpoint
CREATE TABLE "verifactu_senders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"issuer_nif" text NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"next_send_at" timestamp with time zone,
	"wait_seconds" integer DEFAULT 60 NOT NULL,
	"last_sent_at" timestamp with time zone,
	"failing_since" timestamp with time zone,
	"failures" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	CONSTRAINT "verifactu_senders_workspace_id_issuer_nif_unique" UNIQUE("workspace_id","issuer_nif")
);
--> statement-breakpoint
ALTER TABLE "verifactu_records" DROP CONSTRAINT "verifactu_records_workspace_id_issuer_nif_series_number_kind_unique";--> statement-breakpoint
ALTER TABLE "verifactu_records" ADD COLUMN "aeat_error_code" text;--> statement-breakpoint
ALTER TABLE "verifactu_records" ADD COLUMN "aeat_error" text;--> statement-breakpoint
ALTER TABLE "verifactu_records" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "verifactu_records" ADD COLUMN "incident" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "verifactu_records" ADD COLUMN "corrects_record_id" uuid;--> statement-breakpoint
ALTER TABLE "verifactu_records" ADD COLUMN "rechazo_previo" text;--> statement-breakpoint
ALTER TABLE "verifactu_certificates" ADD CONSTRAINT "verifactu_certificates_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verifactu_senders" ADD CONSTRAINT "verifactu_senders_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verifactu_records" ADD CONSTRAINT "verifactu_records_corrects_record_id_verifactu_records_id_fk" FOREIGN KEY ("corrects_record_id") REFERENCES "public"."verifactu_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "verifactu_records_unsent" ON "verifactu_records" USING btree ("workspace_id","issuer_nif","sequence") WHERE submission_status = 'pending';--> statement-breakpoint
ALTER TABLE "verifactu_records" ADD CONSTRAINT "verifactu_records_one_per_invoice" UNIQUE NULLS NOT DISTINCT("workspace_id","issuer_nif","series_number","kind","corrects_record_id");