-- aging_balances rows are now recomputed from the balance's own open invoices under the row's
-- lock (no per-item arithmetic to get wrong, self-healing), and carry the open amount due before
-- overdue_before, which the daily roll-forward (aging_balances_roll, from the scheduler) moves to
-- the workspace's today so that the /aging reply reads no invoice at all. aging_due_totals still
-- follows by deltas.
CREATE OR REPLACE FUNCTION aging_balances_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  -- The rows as they were (counted out) and as they are (counted in).
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT n.*, 1 AS sign FROM aging_new n'
    WHEN 'DELETE' THEN 'SELECT o.*, -1 AS sign FROM aging_old o'
    ELSE 'SELECT o.*, -1 AS sign FROM aging_old o UNION ALL SELECT n.*, 1 AS sign FROM aging_new n'
  END;
  -- Open receivables among them (same definition as src/db/repos/aging.ts), and the balances whose
  -- open items changed (a statement that only stamps sent_at changes none).
  moved text := format($sql$
    WITH moved AS (
      SELECT workspace_id, client_id, currency, coalesce(due_date, issue_date) AS due_on, issue_date,
        sign, sign * open_minor AS amount
      FROM (%s) c
      WHERE open_minor <> 0 AND kind <> 'credit_note' AND status NOT IN ('draft', 'held', 'void')
        AND issue_date IS NOT NULL
    ),
    keys AS (
      SELECT workspace_id, client_id, currency FROM moved GROUP BY workspace_id, client_id, currency
      HAVING sum(sign) <> 0 OR sum(amount) <> 0 OR sum(amount::numeric * (due_on - date '2000-01-01')) <> 0
        OR sum(amount::numeric * (issue_date - date '2000-01-01')) <> 0
    )$sql$, changed);
  emptied_ws uuid[];
  emptied_currencies text[];
  emptied_due date[];
  emptied_issue date[];
BEGIN
  EXECUTE moved || $sql$,
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
      (SELECT array_agg(workspace_id) FROM per_date WHERE open_count = 0 AND open_minor = 0),
      (SELECT array_agg(currency) FROM per_date WHERE open_count = 0 AND open_minor = 0),
      (SELECT array_agg(due_on) FROM per_date WHERE open_count = 0 AND open_minor = 0),
      (SELECT array_agg(issue_date) FROM per_date WHERE open_count = 0 AND open_minor = 0)
  $sql$ INTO emptied_ws, emptied_currencies, emptied_due, emptied_issue;
  IF emptied_due IS NOT NULL THEN
    DELETE FROM aging_due_totals t
    USING unnest(emptied_ws, emptied_currencies, emptied_due, emptied_issue) AS e(ws, cur, due, issued)
    WHERE t.workspace_id = e.ws AND t.currency = e.cur AND t.due_on = e.due AND t.issue_date = e.issued
      AND t.open_count = 0 AND t.open_minor = 0;
  END IF;

  -- Lock each changed balance (creating it when new, rolled to the server's date), in key order.
  EXECUTE moved || $sql$
    INSERT INTO aging_balances AS b (workspace_id, client_id, currency, open_count, open_minor, issue_day_sum,
      overdue_before, overdue_minor, overdue_day_sum)
    SELECT workspace_id, client_id, currency, 0, 0, 0, current_date, 0, 0 FROM keys
    ORDER BY workspace_id, client_id, currency
    ON CONFLICT (workspace_id, client_id, currency) DO UPDATE SET open_count = b.open_count
  $sql$;
  -- A new statement, so a new snapshot: every change committed before the lock was taken is seen.
  EXECUTE moved || $sql$,
    fresh AS (
      SELECT b.workspace_id, b.client_id, b.currency, count(i.id) AS n, coalesce(sum(i.open_minor), 0) AS open,
        coalesce(sum(i.open_minor::numeric * (i.issue_date - date '2000-01-01')), 0) AS issue_days,
        coalesce(sum(i.open_minor) FILTER (WHERE coalesce(i.due_date, i.issue_date) < b.overdue_before), 0)
          AS overdue,
        coalesce(sum(i.open_minor::numeric * (coalesce(i.due_date, i.issue_date) - date '2000-01-01'))
          FILTER (WHERE coalesce(i.due_date, i.issue_date) < b.overdue_before), 0) AS overdue_days
      FROM keys k
      JOIN aging_balances b USING (workspace_id, client_id, currency)
      LEFT JOIN invoices i ON i.workspace_id = b.workspace_id AND i.client_id = b.client_id
        AND i.currency = b.currency AND i.open_minor <> 0 AND i.kind <> 'credit_note'
        AND i.status NOT IN ('draft', 'held', 'void') AND i.issue_date IS NOT NULL
      GROUP BY b.workspace_id, b.client_id, b.currency
    ),
    settled AS (
      DELETE FROM aging_balances b USING fresh f
      WHERE b.workspace_id = f.workspace_id AND b.client_id = f.client_id AND b.currency = f.currency AND f.n = 0
    )
    UPDATE aging_balances b SET open_count = f.n, open_minor = f.open, issue_day_sum = f.issue_days,
      overdue_minor = f.overdue, overdue_day_sum = f.overdue_days
    FROM fresh f
    WHERE b.workspace_id = f.workspace_id AND b.client_id = f.client_id AND b.currency = f.currency AND f.n > 0
  $sql$;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- Moves a workspace's balances to overdue_before = on_date (its today), recomputed under their
-- locks; a no-op once done for the day. Called by the scheduler tick (src/services/roll-aging-balances.ts).
CREATE OR REPLACE FUNCTION aging_balances_roll(ws uuid, on_date date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  rolled integer;
BEGIN
  PERFORM 1 FROM aging_balances
  WHERE workspace_id = ws AND overdue_before <> on_date
  ORDER BY client_id, currency FOR UPDATE;
  UPDATE aging_balances b SET overdue_before = on_date, overdue_minor = f.overdue, overdue_day_sum = f.overdue_days
  FROM (
    SELECT client_id, currency,
      coalesce(sum(open_minor) FILTER (WHERE coalesce(due_date, issue_date) < on_date), 0) AS overdue,
      coalesce(sum(open_minor::numeric * (coalesce(due_date, issue_date) - date '2000-01-01'))
        FILTER (WHERE coalesce(due_date, issue_date) < on_date), 0) AS overdue_days
    FROM invoices
    WHERE workspace_id = ws AND open_minor <> 0 AND kind <> 'credit_note'
      AND status NOT IN ('draft', 'held', 'void') AND issue_date IS NOT NULL
    GROUP BY client_id, currency
  ) f
  WHERE b.workspace_id = ws AND b.overdue_before <> on_date AND f.client_id = b.client_id
    AND f.currency = b.currency;
  GET DIAGNOSTICS rolled = ROW_COUNT;
  RETURN rolled;
END;
$$;
--> statement-breakpoint
DROP FUNCTION aging_balances_rebuild(uuid);
--> statement-breakpoint
-- Recomputes one workspace's rows from the invoices, rolled to on_date: bulk loads that ran with
-- triggers off (session_replication_role = replica, bench/generate-data.ts) and this migration.
CREATE FUNCTION aging_balances_rebuild(ws uuid, on_date date DEFAULT current_date) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM aging_balances WHERE workspace_id = ws;
  DELETE FROM aging_due_totals WHERE workspace_id = ws;
  INSERT INTO aging_balances (workspace_id, client_id, currency, open_count, open_minor, issue_day_sum,
    overdue_before, overdue_minor, overdue_day_sum)
  SELECT workspace_id, client_id, currency, count(*), sum(open_minor),
    sum(open_minor::numeric * (issue_date - date '2000-01-01')), on_date,
    coalesce(sum(open_minor) FILTER (WHERE coalesce(due_date, issue_date) < on_date), 0),
    coalesce(sum(open_minor::numeric * (coalesce(due_date, issue_date) - date '2000-01-01'))
      FILTER (WHERE coalesce(due_date, issue_date) < on_date), 0)
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
