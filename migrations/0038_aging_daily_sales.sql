CREATE TABLE "aging_daily_sales" (
	"workspace_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"issue_date" date NOT NULL,
	"sales_minor" bigint NOT NULL,
	"interest_minor" bigint NOT NULL,
	CONSTRAINT "aging_daily_sales_workspace_id_currency_issue_date_pk" PRIMARY KEY("workspace_id","currency","issue_date")
);
--> statement-breakpoint
ALTER TABLE "aging_daily_sales" ADD CONSTRAINT "aging_daily_sales_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;