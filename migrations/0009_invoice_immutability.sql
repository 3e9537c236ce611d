-- An issued invoice is a legal document: its number, parties, lines, amounts, dates, currency and
-- rate never change and it is never deleted (corrections are credit notes). Only its settlement
-- state (status, open amount), delivery timestamps and links to deletable rows may move.
CREATE OR REPLACE FUNCTION invoices_issued_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  mutable text[] := ARRAY['status', 'open_minor', 'sent_at', 'received_at', 'receipt_token', 'updated_at',
                          'issued_by_member_id', 'project_id', 'milestone_id'];
BEGIN
  IF OLD.status IN ('draft', 'held') THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'issued invoice % cannot be deleted', OLD.number
      USING ERRCODE = 'restrict_violation', HINT = 'Issue a credit note instead.';
  END IF;
  IF NEW.status IN ('draft', 'held') THEN
    RAISE EXCEPTION 'issued invoice % cannot go back to %', OLD.number, NEW.status
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable) THEN
    RAISE EXCEPTION 'issued invoice % cannot be changed', OLD.number
      USING ERRCODE = 'restrict_violation', HINT = 'Issue a credit note instead.';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoices_issued_immutable
  BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION invoices_issued_immutable();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoice_lines_issued_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  parent_status text;
  parent_number text;
BEGIN
  SELECT status, number INTO parent_status, parent_number FROM invoices
    WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.invoice_id ELSE OLD.invoice_id END;
  IF parent_status IS NOT NULL AND parent_status NOT IN ('draft', 'held') THEN
    RAISE EXCEPTION 'lines of issued invoice % cannot be changed (%)', parent_number, TG_OP
      USING ERRCODE = 'restrict_violation', HINT = 'Issue a credit note instead.';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.invoice_id IS DISTINCT FROM OLD.invoice_id THEN
    SELECT status, number INTO parent_status, parent_number FROM invoices WHERE id = NEW.invoice_id;
    IF parent_status IS NOT NULL AND parent_status NOT IN ('draft', 'held') THEN
      RAISE EXCEPTION 'lines of issued invoice % cannot be changed (%)', parent_number, TG_OP
        USING ERRCODE = 'restrict_violation';
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invoice_lines_issued_immutable
  BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION invoice_lines_issued_immutable();
