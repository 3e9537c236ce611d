-- aging_daily_sales (src/db/schema/aging.ts) follows every invoice write in its transaction: what the
-- rows contributed before the statement is taken out, what they contribute after it is added.
-- Same definition as listCreditSales in src/aging/repo.ts: documents not draft/held/void, credit
-- notes negative, interest notes apart, amounts net of withholding.
CREATE TYPE aging_sale AS (workspace_id uuid, currency char(3), issue_date date, sales bigint, interest bigint);
--> statement-breakpoint
CREATE FUNCTION aging_daily_sales_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  moved aging_sale[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(ROW(workspace_id, currency, issue_date,
        CASE WHEN kind = 'interest_note' THEN 0 WHEN kind = 'credit_note' THEN -abs(total_minor - withholding_minor)
          ELSE total_minor - withholding_minor END,
        CASE WHEN kind = 'interest_note' THEN total_minor - withholding_minor ELSE 0 END)::aging_sale)
    INTO moved FROM aging_new
    WHERE status NOT IN ('draft', 'held', 'void') AND issue_date IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(ROW(workspace_id, currency, issue_date,
        -(CASE WHEN kind = 'interest_note' THEN 0 WHEN kind = 'credit_note' THEN -abs(total_minor - withholding_minor)
          ELSE total_minor - withholding_minor END),
        -(CASE WHEN kind = 'interest_note' THEN total_minor - withholding_minor ELSE 0 END))::aging_sale)
    INTO moved FROM aging_old
    WHERE status NOT IN ('draft', 'held', 'void') AND issue_date IS NOT NULL;
  ELSE
    SELECT array_agg(m) INTO moved FROM (
      SELECT ROW(o.workspace_id, o.currency, o.issue_date,
          -(CASE WHEN o.kind = 'interest_note' THEN 0 WHEN o.kind = 'credit_note' THEN -abs(o.total_minor - o.withholding_minor)
            ELSE o.total_minor - o.withholding_minor END),
          -(CASE WHEN o.kind = 'interest_note' THEN o.total_minor - o.withholding_minor ELSE 0 END))::aging_sale AS m
      FROM aging_old o JOIN aging_new n ON n.id = o.id
      WHERE (o.status, o.kind, o.currency, o.issue_date, o.total_minor, o.withholding_minor, o.workspace_id)
          IS DISTINCT FROM (n.status, n.kind, n.currency, n.issue_date, n.total_minor, n.withholding_minor, n.workspace_id)
        AND o.status NOT IN ('draft', 'held', 'void') AND o.issue_date IS NOT NULL
      UNION ALL
      SELECT ROW(n.workspace_id, n.currency, n.issue_date,
          CASE WHEN n.kind = 'interest_note' THEN 0 WHEN n.kind = 'credit_note' THEN -abs(n.total_minor - n.withholding_minor)
            ELSE n.total_minor - n.withholding_minor END,
          CASE WHEN n.kind = 'interest_note' THEN n.total_minor - n.withholding_minor ELSE 0 END)::aging_sale
      FROM aging_old o JOIN aging_new n ON n.id = o.id
      WHERE (o.status, o.kind, o.currency, o.issue_date, o.total_minor, o.withholding_minor, o.workspace_id)
          IS DISTINCT FROM (n.status, n.kind, n.currency, n.issue_date, n.total_minor, n.withholding_minor, n.workspace_id)
        AND n.status NOT IN ('draft', 'held', 'void') AND n.issue_date IS NOT NULL
    ) x;
  END IF;
  IF moved IS NULL THEN
    RETURN NULL;
  END IF;
  INSERT INTO aging_daily_sales AS s (workspace_id, currency, issue_date, sales_minor, interest_minor)
  SELECT workspace_id, currency, issue_date, sum(sales), sum(interest) FROM unnest(moved)
  GROUP BY workspace_id, currency, issue_date
  HAVING sum(sales) <> 0 OR sum(interest) <> 0
  ORDER BY workspace_id, currency, issue_date
  ON CONFLICT (workspace_id, currency, issue_date) DO UPDATE SET
    sales_minor = s.sales_minor + excluded.sales_minor, interest_minor = s.interest_minor + excluded.interest_minor;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER aging_daily_sales_on_insert AFTER INSERT ON invoices
  REFERENCING NEW TABLE AS aging_new FOR EACH STATEMENT EXECUTE FUNCTION aging_daily_sales_follow();
--> statement-breakpoint
CREATE TRIGGER aging_daily_sales_on_update AFTER UPDATE ON invoices
  REFERENCING OLD TABLE AS aging_old NEW TABLE AS aging_new FOR EACH STATEMENT EXECUTE FUNCTION aging_daily_sales_follow();
--> statement-breakpoint
CREATE TRIGGER aging_daily_sales_on_delete AFTER DELETE ON invoices
  REFERENCING OLD TABLE AS aging_old FOR EACH STATEMENT EXECUTE FUNCTION aging_daily_sales_follow();
--> statement-breakpoint
-- Recomputes one workspace's rows from its invoices (bulk loads with triggers off, and below).
CREATE FUNCTION aging_daily_sales_rebuild(ws uuid) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM aging_daily_sales WHERE workspace_id = ws;
  INSERT INTO aging_daily_sales (workspace_id, currency, issue_date, sales_minor, interest_minor)
  SELECT workspace_id, currency, issue_date,
    coalesce(sum(CASE WHEN kind = 'credit_note' THEN -abs(total_minor - withholding_minor)
      ELSE total_minor - withholding_minor END) FILTER (WHERE kind <> 'interest_note'), 0),
    coalesce(sum(total_minor - withholding_minor) FILTER (WHERE kind = 'interest_note'), 0)
  FROM invoices
  WHERE workspace_id = ws AND status NOT IN ('draft', 'held', 'void') AND issue_date IS NOT NULL
  GROUP BY workspace_id, currency, issue_date;
$$;
--> statement-breakpoint
SELECT aging_daily_sales_rebuild(id) FROM workspaces;
