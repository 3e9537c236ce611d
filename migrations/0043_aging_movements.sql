CREATE TABLE "aging_daily_collections" (
	"workspace_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"paid_on" date NOT NULL,
	"amount_minor" bigint NOT NULL,
	CONSTRAINT "aging_daily_collections_workspace_id_currency_paid_on_pk" PRIMARY KEY("workspace_id","currency","paid_on")
);
--> statement-breakpoint
CREATE TABLE "aging_month_end_dues" (
	"workspace_id" uuid NOT NULL,
	"month_end" date NOT NULL,
	"due_on" date NOT NULL,
	"client_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"open_minor" bigint NOT NULL,
	CONSTRAINT "aging_month_end_dues_workspace_id_month_end_due_on_client_id_currency_pk" PRIMARY KEY("workspace_id","month_end","due_on","client_id","currency")
);
--> statement-breakpoint
CREATE TABLE "aging_movements" (
	"workspace_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"on_date" date NOT NULL,
	"client_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"due_on" date NOT NULL,
	"issue_date" date NOT NULL,
	"open_before" bigint NOT NULL,
	"open_after" bigint NOT NULL,
	CONSTRAINT "aging_movements_invoice_id_on_date_pk" PRIMARY KEY("invoice_id","on_date")
);
--> statement-breakpoint
ALTER TABLE "aging_daily_collections" ADD CONSTRAINT "aging_daily_collections_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aging_month_end_dues" ADD CONSTRAINT "aging_month_end_dues_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aging_movements" ADD CONSTRAINT "aging_movements_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "aging_movements_day_idx" ON "aging_movements" USING btree ("workspace_id","on_date","client_id","currency","due_on","issue_date","open_before","open_after");