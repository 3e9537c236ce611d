DROP INDEX "invoices_open_idx";--> statement-breakpoint
DROP INDEX "invoices_issue_date_idx";--> statement-breakpoint
DROP INDEX "payments_workspace_paid_on_idx";--> statement-breakpoint
CREATE INDEX "invoices_open_idx" ON "invoices" USING btree ("workspace_id","due_date","issue_date","client_id","currency","open_minor","kind","status","project_id","id") WHERE "invoices"."open_minor" <> 0;--> statement-breakpoint
CREATE INDEX "invoices_issue_date_idx" ON "invoices" USING btree ("workspace_id","issue_date","currency","kind","status","total_minor","withholding_minor");--> statement-breakpoint
CREATE INDEX "payments_workspace_paid_on_idx" ON "payments" USING btree ("workspace_id","paid_on","invoice_id","currency","amount_minor");