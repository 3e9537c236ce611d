DROP INDEX "timesheet_history_timesheet_id_index";--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "last_used_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "timesheet_history" ADD COLUMN "version" integer NOT NULL;--> statement-breakpoint
CREATE INDEX "api_keys_workspace_id_index" ON "api_keys" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "time_entries_unbilled_idx" ON "time_entries" USING btree ("workspace_id","project_id") WHERE "time_entries"."invoice_id" is null;--> statement-breakpoint
ALTER TABLE "timesheet_history" ADD CONSTRAINT "timesheet_history_timesheet_id_version_unique" UNIQUE("timesheet_id","version");