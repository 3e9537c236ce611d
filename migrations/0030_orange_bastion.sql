ALTER TABLE "deliveries" ADD COLUMN "next_run_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "slack_channel_pacing" ADD COLUMN "last_post_at" timestamp with time zone;