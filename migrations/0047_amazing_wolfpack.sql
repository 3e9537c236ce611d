CREATE TABLE "overdue_digest_lines" (
	"workspace_id" uuid NOT NULL,
	"run_date" date NOT NULL,
	"recipient_key" text NOT NULL,
	"member_id" uuid,
	"slack_id" text,
	"role" text NOT NULL,
	"invoice_id" uuid NOT NULL,
	CONSTRAINT "overdue_digest_lines_workspace_id_run_date_recipient_key_invoice_id_role_pk" PRIMARY KEY("workspace_id","run_date","recipient_key","invoice_id","role")
);
--> statement-breakpoint
ALTER TABLE "overdue_digest_lines" ADD CONSTRAINT "overdue_digest_lines_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "overdue_digest_lines" ADD CONSTRAINT "overdue_digest_lines_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "overdue_digest_lines" ADD CONSTRAINT "overdue_digest_lines_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;