CREATE TABLE "client_bank_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"iban" text NOT NULL,
	"learned_from_line_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "client_bank_accounts_workspace_id_iban_client_id_unique" UNIQUE("workspace_id","iban","client_id")
);
--> statement-breakpoint
ALTER TABLE "bank_lines" ADD COLUMN "payer_iban" text;--> statement-breakpoint
ALTER TABLE "bank_lines" ADD COLUMN "suggestion" jsonb;--> statement-breakpoint
ALTER TABLE "bank_lines" ADD COLUMN "overpaid_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "bank_lines" ADD COLUMN "settled_by" text;--> statement-breakpoint
ALTER TABLE "client_bank_accounts" ADD CONSTRAINT "client_bank_accounts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_bank_accounts" ADD CONSTRAINT "client_bank_accounts_client_id_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."clients"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_bank_accounts" ADD CONSTRAINT "client_bank_accounts_learned_from_line_id_bank_lines_id_fk" FOREIGN KEY ("learned_from_line_id") REFERENCES "public"."bank_lines"("id") ON DELETE set null ON UPDATE no action;