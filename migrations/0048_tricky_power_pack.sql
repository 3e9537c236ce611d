ALTER TABLE "reminders" ADD COLUMN "heads_up_claimed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "reminders_heads_up_idx" ON "reminders" USING btree ("workspace_id","due_on") WHERE not "reminders"."heads_up_claimed";--> statement-breakpoint
-- Reminders claimed before this column had their heads-up claimed one by one.
UPDATE "reminders" SET "heads_up_claimed" = true;
