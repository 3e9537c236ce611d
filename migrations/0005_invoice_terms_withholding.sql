ALTER TABLE "invoices" ADD COLUMN "withholding_rate_bp" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "payment_terms_rule" text;