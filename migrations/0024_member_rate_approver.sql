ALTER TABLE "members" ADD COLUMN "hourly_rate_minor" bigint;--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "hourly_rate_currency" char(3);--> statement-breakpoint
ALTER TABLE "members" ADD COLUMN "approver_member_id" uuid;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_approver_member_id_members_id_fk" FOREIGN KEY ("approver_member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;