-- A bank line's reason becomes a code and its values, said in each reader's language. Reasons
-- written before were English sentences: kept as {"code":"text"}, shown as they were written.
ALTER TABLE "bank_lines" ALTER COLUMN "reason" SET DATA TYPE jsonb USING (
  CASE WHEN "reason" IS NULL THEN NULL
  ELSE jsonb_build_object('code', 'text', 'values', jsonb_build_object('text', "reason")) END
);--> statement-breakpoint
-- A stored suggestion's fee write-off carried its reason as English words too.
UPDATE "bank_lines"
SET "suggestion" = jsonb_set(
  "suggestion", '{plan,writeOff,reason}',
  jsonb_build_object('code', 'text', 'values', jsonb_build_object('text', "suggestion"->'plan'->'writeOff'->>'reason'))
)
WHERE jsonb_typeof("suggestion"->'plan'->'writeOff'->'reason') = 'string';
