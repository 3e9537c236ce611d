-- aging_balances and aging_due_totals (src/db/schema/aging.ts) follow every change of an invoice's open amount, in the same
-- transaction: statement triggers (one aggregate per statement, so a COPY of a million rows is one
-- upsert, not a million), whoever writes (services, imports, SQL by hand).
CREATE OR REPLACE FUNCTION aging_balances_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  -- The rows as they were (counted out) and as they are (counted in).
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT n.*, 1 AS sign FROM aging_new n'
    WHEN 'DELETE' THEN 'SELECT o.*, -1 AS sign FROM aging_old o'
    ELSE 'SELECT o.*, -1 AS sign FROM aging_old o UNION ALL SELECT n.*, 1 AS sign FROM aging_new n'
  END;
  emptied_clients uuid[];
  emptied_client_ws uuid[];
  emptied_client_currencies text[];
  emptied_dates_ws uuid[];
  emptied_dates_currencies text[];
  emptied_due date[];
  emptied_issue date[];
BEGIN
  -- Same definition of a receivable as src/db/repos/aging.ts: issued, not a credit note, open.
  EXECUTE format($sql$
    WITH moved AS (
      SELECT workspace_id, client_id, currency, coalesce(due_date, issue_date) AS due_on, issue_date,
        sign, sign * open_minor AS amount
      FROM (%s) c
      WHERE open_minor <> 0 AND kind <> 'credit_note' AND status NOT IN ('draft', 'held', 'void')
        AND issue_date IS NOT NULL
    ),
    per_client AS (
      INSERT INTO aging_balances AS b
        (workspace_id, client_id, currency, open_count, open_minor, due_day_sum, issue_day_sum)
      SELECT workspace_id, client_id, currency, sum(sign), sum(amount),
        sum(amount::numeric * (due_on - date '2000-01-01')), sum(amount::numeric * (issue_date - date '2000-01-01'))
      FROM moved GROUP BY workspace_id, client_id, currency
      HAVING sum(sign) <> 0 OR sum(amount) <> 0 OR sum(amount::numeric * (due_on - date '2000-01-01')) <> 0
        OR sum(amount::numeric * (issue_date - date '2000-01-01')) <> 0
      ORDER BY workspace_id, client_id, currency
      ON CONFLICT (workspace_id, client_id, currency) DO UPDATE SET
        open_count = b.open_count + excluded.open_count,
        open_minor = b.open_minor + excluded.open_minor,
        due_day_sum = b.due_day_sum + excluded.due_day_sum,
        issue_day_sum = b.issue_day_sum + excluded.issue_day_sum
      RETURNING b.*
    ),
    per_date AS (
      INSERT INTO aging_due_totals AS t (workspace_id, currency, due_on, issue_date, open_count, open_minor)
      SELECT workspace_id, currency, due_on, issue_date, sum(sign), sum(amount)
      FROM moved GROUP BY workspace_id, currency, due_on, issue_date
      HAVING sum(sign) <> 0 OR sum(amount) <> 0
      ORDER BY workspace_id, currency, due_on, issue_date
      ON CONFLICT (workspace_id, currency, due_on, issue_date) DO UPDATE SET
        open_count = t.open_count + excluded.open_count,
        open_minor = t.open_minor + excluded.open_minor
      RETURNING t.*
    )
    SELECT
      (SELECT array_agg(workspace_id) FROM per_client WHERE open_count = 0 AND open_minor = 0),
      (SELECT array_agg(client_id) FROM per_client WHERE open_count = 0 AND open_minor = 0),
      (SELECT array_agg(currency) FROM per_client WHERE open_count = 0 AND open_minor = 0),
      (SELECT array_agg(workspace_id) FROM per_date WHERE open_count = 0 AND open_minor = 0),
      (SELECT array_agg(currency) FROM per_date WHERE open_count = 0 AND open_minor = 0),
      (SELECT array_agg(due_on) FROM per_date WHERE open_count = 0 AND open_minor = 0),
      (SELECT array_agg(issue_date) FROM per_date WHERE open_count = 0 AND open_minor = 0)
  $sql$, changed)
  INTO emptied_client_ws, emptied_clients, emptied_client_currencies,
    emptied_dates_ws, emptied_dates_currencies, emptied_due, emptied_issue;
  -- Settled balances leave the tables, so readers scan only what is open.
  IF emptied_clients IS NOT NULL THEN
    DELETE FROM aging_balances b
    USING unnest(emptied_client_ws, emptied_clients, emptied_client_currencies) AS e(ws, client, cur)
    WHERE b.workspace_id = e.ws AND b.client_id = e.client AND b.currency = e.cur
      AND b.open_count = 0 AND b.open_minor = 0 AND b.due_day_sum = 0 AND b.issue_day_sum = 0;
  END IF;
  IF emptied_due IS NOT NULL THEN
    DELETE FROM aging_due_totals t
    USING unnest(emptied_dates_ws, emptied_dates_currencies, emptied_due, emptied_issue) AS e(ws, cur, due, issued)
    WHERE t.workspace_id = e.ws AND t.currency = e.cur AND t.due_on = e.due AND t.issue_date = e.issued
      AND t.open_count = 0 AND t.open_minor = 0;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER aging_balances_on_insert AFTER INSERT ON invoices
  REFERENCING NEW TABLE AS aging_new FOR EACH STATEMENT EXECUTE FUNCTION aging_balances_follow();
--> statement-breakpoint
CREATE TRIGGER aging_balances_on_update AFTER UPDATE ON invoices
  REFERENCING OLD TABLE AS aging_old NEW TABLE AS aging_new FOR EACH STATEMENT EXECUTE FUNCTION aging_balances_follow();
--> statement-breakpoint
CREATE TRIGGER aging_balances_on_delete AFTER DELETE ON invoices
  REFERENCING OLD TABLE AS aging_old FOR EACH STATEMENT EXECUTE FUNCTION aging_balances_follow();
--> statement-breakpoint
-- Recomputes one workspace's rows from the invoices: the backfill below, and bulk loads that ran
-- with triggers off (session_replication_role = replica, bench/generate-data.ts).
CREATE OR REPLACE FUNCTION aging_balances_rebuild(ws uuid) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM aging_balances WHERE workspace_id = ws;
  DELETE FROM aging_due_totals WHERE workspace_id = ws;
  INSERT INTO aging_balances (workspace_id, client_id, currency, open_count, open_minor, due_day_sum, issue_day_sum)
  SELECT workspace_id, client_id, currency, count(*), sum(open_minor),
    sum(open_minor::numeric * (coalesce(due_date, issue_date) - date '2000-01-01')),
    sum(open_minor::numeric * (issue_date - date '2000-01-01'))
  FROM invoices
  WHERE workspace_id = ws AND open_minor <> 0 AND kind <> 'credit_note'
    AND status NOT IN ('draft', 'held', 'void') AND issue_date IS NOT NULL
  GROUP BY workspace_id, client_id, currency;
  INSERT INTO aging_due_totals (workspace_id, currency, due_on, issue_date, open_count, open_minor)
  SELECT workspace_id, currency, coalesce(due_date, issue_date), issue_date, count(*), sum(open_minor)
  FROM invoices
  WHERE workspace_id = ws AND open_minor <> 0 AND kind <> 'credit_note'
    AND status NOT IN ('draft', 'held', 'void') AND issue_date IS NOT NULL
  GROUP BY workspace_id, currency, coalesce(due_date, issue_date), issue_date;
$$;
--> statement-breakpoint
SELECT aging_balances_rebuild(id) FROM workspaces;
