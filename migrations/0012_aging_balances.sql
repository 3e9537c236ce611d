CREATE TABLE "aging_balances" (
	"workspace_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"open_count" integer NOT NULL,
	"open_minor" bigint NOT NULL,
	"due_day_sum" numeric NOT NULL,
	"issue_day_sum" numeric NOT NULL,
	CONSTRAINT "aging_balances_workspace_id_client_id_currency_pk" PRIMARY KEY("workspace_id","client_id","currency")
);
--> statement-breakpoint
CREATE TABLE "aging_due_totals" (
	"workspace_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"due_on" date NOT NULL,
	"issue_date" date NOT NULL,
	"open_count" integer NOT NULL,
	"open_minor" bigint NOT NULL,
	CONSTRAINT "aging_due_totals_workspace_id_currency_due_on_issue_date_pk" PRIMARY KEY("workspace_id","currency","due_on","issue_date")
);
--> statement-breakpoint
ALTER TABLE "aging_balances" ADD CONSTRAINT "aging_balances_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aging_due_totals" ADD CONSTRAINT "aging_due_totals_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;