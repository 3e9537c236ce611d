CREATE TABLE "verifactu_chains" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"issuer_nif" text NOT NULL,
	"last_hash" text,
	"last_series_number" text,
	"last_issue_date" date,
	"last_generated_at" timestamp with time zone,
	CONSTRAINT "verifactu_chains_workspace_id_issuer_nif_unique" UNIQUE("workspace_id","issuer_nif")
);
--> statement-breakpoint
CREATE TABLE "verifactu_records" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"issuer_nif" text NOT NULL,
	"series_number" text NOT NULL,
	"issue_date" date NOT NULL,
	"invoice_type" text NOT NULL,
	"hash_input" text NOT NULL,
	"hash" text NOT NULL,
	"previous_hash" text,
	"generated_at" text NOT NULL,
	"submission_status" text DEFAULT 'pending' NOT NULL,
	"aeat_csv" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "verifactu_records_workspace_id_issuer_nif_series_number_kind_unique" UNIQUE("workspace_id","issuer_nif","series_number","kind")
);
--> statement-breakpoint
ALTER TABLE "verifactu_chains" ADD CONSTRAINT "verifactu_chains_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verifactu_records" ADD CONSTRAINT "verifactu_records_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verifactu_records" ADD CONSTRAINT "verifactu_records_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "verifactu_records_invoice_id_index" ON "verifactu_records" USING btree ("invoice_id");