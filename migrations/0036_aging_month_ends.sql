CREATE TABLE "aging_month_end_balances" (
	"workspace_id" uuid NOT NULL,
	"month_end" date NOT NULL,
	"client_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"open_count" integer NOT NULL,
	"open_minor" bigint NOT NULL,
	"issue_day_sum" numeric NOT NULL,
	"overdue_minor" bigint NOT NULL,
	"overdue_day_sum" numeric NOT NULL,
	CONSTRAINT "aging_month_end_balances_workspace_id_month_end_client_id_currency_pk" PRIMARY KEY("workspace_id","month_end","client_id","currency")
);
--> statement-breakpoint
CREATE TABLE "aging_month_end_totals" (
	"workspace_id" uuid NOT NULL,
	"month_end" date NOT NULL,
	"currency" char(3) NOT NULL,
	"due_on" date NOT NULL,
	"issue_date" date NOT NULL,
	"open_count" integer NOT NULL,
	"open_minor" bigint NOT NULL,
	CONSTRAINT "aging_month_end_totals_workspace_id_month_end_currency_due_on_issue_date_pk" PRIMARY KEY("workspace_id","month_end","currency","due_on","issue_date")
);
--> statement-breakpoint
CREATE TABLE "aging_month_ends" (
	"workspace_id" uuid NOT NULL,
	"month_end" date NOT NULL,
	CONSTRAINT "aging_month_ends_workspace_id_month_end_pk" PRIMARY KEY("workspace_id","month_end")
);
--> statement-breakpoint
ALTER TABLE "aging_month_end_balances" ADD CONSTRAINT "aging_month_end_balances_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aging_month_end_totals" ADD CONSTRAINT "aging_month_end_totals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aging_month_ends" ADD CONSTRAINT "aging_month_ends_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invoices_corrects_idx" ON "invoices" USING btree ("corrects_invoice_id") WHERE "invoices"."corrects_invoice_id" is not null;