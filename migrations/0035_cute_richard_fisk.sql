ALTER TABLE "clients" ADD COLUMN "delivery_address" jsonb;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "einvoice_attachments" text;