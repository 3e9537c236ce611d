ALTER TABLE "verifactu_chains" ADD COLUMN "last_sequence" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "verifactu_records" ADD COLUMN "sequence" integer;--> statement-breakpoint
ALTER TABLE "verifactu_records" ADD COLUMN "rectification_type" text;--> statement-breakpoint
-- Number the records already chained by walking each issuer's chain from its first record.
WITH RECURSIVE walk AS (
  SELECT id, workspace_id, issuer_nif, hash, 1 AS position
    FROM verifactu_records WHERE previous_hash IS NULL
  UNION ALL
  SELECT r.id, r.workspace_id, r.issuer_nif, r.hash, walk.position + 1
    FROM verifactu_records r
    JOIN walk ON r.previous_hash = walk.hash AND r.workspace_id = walk.workspace_id
             AND r.issuer_nif = walk.issuer_nif
)
UPDATE verifactu_records r SET sequence = walk.position FROM walk WHERE r.id = walk.id;--> statement-breakpoint
UPDATE verifactu_chains c SET last_sequence = coalesce(
  (SELECT max(sequence) FROM verifactu_records r
    WHERE r.workspace_id = c.workspace_id AND r.issuer_nif = c.issuer_nif), 0);--> statement-breakpoint
ALTER TABLE "verifactu_records" ALTER COLUMN "sequence" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "verifactu_records" ADD CONSTRAINT "verifactu_records_workspace_id_issuer_nif_sequence_unique" UNIQUE("workspace_id","issuer_nif","sequence");--> statement-breakpoint
-- A billing record is never altered nor erased once generated (RD 1007/2023 art. 8, Orden
-- HAC/1177/2024 art. 6): what was chained stays as chained; only the AEAT submission state moves.
CREATE OR REPLACE FUNCTION verifactu_records_chained_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  chained text[] := ARRAY['id', 'workspace_id', 'invoice_id', 'kind', 'issuer_nif', 'series_number',
                          'issue_date', 'invoice_type', 'hash_input', 'hash', 'previous_hash',
                          'generated_at', 'sequence', 'rectification_type', 'created_at'];
  col text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'VERI*FACTU record % of % cannot be deleted', OLD.sequence, OLD.issuer_nif
      USING ERRCODE = 'restrict_violation', HINT = 'Cancel the invoice with an anulación record instead.';
  END IF;
  FOREACH col IN ARRAY chained LOOP
    IF to_jsonb(NEW) -> col IS DISTINCT FROM to_jsonb(OLD) -> col THEN
      RAISE EXCEPTION 'VERI*FACTU record % of % cannot be changed (%)', OLD.sequence, OLD.issuer_nif, col
        USING ERRCODE = 'restrict_violation';
    END IF;
  END LOOP;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER verifactu_records_chained_immutable
  BEFORE UPDATE OR DELETE ON verifactu_records
  FOR EACH ROW EXECUTE FUNCTION verifactu_records_chained_immutable();
