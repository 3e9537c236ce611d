ALTER TABLE "late_interest_rates" ADD COLUMN "confirmed" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "late_interest_rates" ADD COLUMN "legal_rate_bp" integer;--> statement-breakpoint
-- Spanish totals never read from their BOE resolution stay in use but are shown as unconfirmed.
UPDATE "late_interest_rates" SET "confirmed" = false WHERE "jurisdiction" = 'ES' AND "source" LIKE '%check against the BOE resolution%';--> statement-breakpoint
-- Taux de l'intérêt légal "autres cas" (arrêtés semestriels, JORF); the L441-10 floor is three times it.
UPDATE "late_interest_rates" SET "legal_rate_bp" = 492 WHERE "jurisdiction" = 'FR' AND "half_year_start" = '2024-07-01';--> statement-breakpoint
UPDATE "late_interest_rates" SET "legal_rate_bp" = 371 WHERE "jurisdiction" = 'FR' AND "half_year_start" = '2025-01-01';--> statement-breakpoint
UPDATE "late_interest_rates" SET "legal_rate_bp" = 276, "source" = 'ECB MRO 2.15 on 2025-07-01 + 10 (C. com. L441-10); intérêt légal 2.76 (arrêté du 19 juin 2025, JORF 24 juin 2025)' WHERE "jurisdiction" = 'FR' AND "half_year_start" = '2025-07-01';--> statement-breakpoint
INSERT INTO "late_interest_rates" ("jurisdiction", "half_year_start", "reference_rate_bp", "total_rate_bp", "source", "confirmed", "legal_rate_bp") VALUES
  ('EU', '2026-01-01', 215, 1015, 'ECB MRO 2.15 on 2026-01-01 (unchanged since 2025-06-11) + 8 (Directive 2011/7/EU art. 2(6))', true, NULL),
  ('FR', '2026-01-01', 215, 1215, 'ECB MRO 2.15 on 2026-01-01 + 10 (C. com. L441-10); intérêt légal 2.62 (arrêté du 15 décembre 2025, JORF 26 décembre 2025)', true, 262),
  ('ES', '2026-01-01', 215, 1015, 'BOE-A-2025-27201 (Resolución de 23 de diciembre de 2025); total derived from ECB MRO 2.15 + 8, not read from the BOE', false, NULL),
  ('EU', '2026-07-01', 215, 1015, 'UNCONFIRMED: ECB MRO on 2026-07-01 not verified, 2.15 (last verified January 2026) carried forward + 8; replaced by the ECB fetch or cobro rates import', false, NULL),
  ('FR', '2026-07-01', 215, 1215, 'UNCONFIRMED: ECB MRO on 2026-07-01 not verified, 2.15 (last verified January 2026) carried forward + 10; replaced by the ECB fetch or cobro rates import', false, NULL),
  ('ES', '2026-07-01', 215, 1015, 'UNCONFIRMED: BOE total for 2026 H2 not verified, ECB MRO 2.15 (last verified January 2026) + 8; import the BOE figure with cobro rates import', false, NULL)
ON CONFLICT ("jurisdiction", "half_year_start") DO NOTHING;
