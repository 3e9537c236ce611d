ALTER TABLE "aging_balances" ADD COLUMN "overdue_before" date DEFAULT '2000-01-01' NOT NULL;--> statement-breakpoint
ALTER TABLE "aging_balances" ADD COLUMN "overdue_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "aging_balances" ADD COLUMN "overdue_day_sum" numeric DEFAULT '0' NOT NULL;