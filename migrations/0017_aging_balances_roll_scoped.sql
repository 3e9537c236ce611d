-- The roll-forward recomputes only the balances it moves (new balances created on the server's
-- date, when that is not the workspace's today, cost one client each, not the whole workspace).
CREATE OR REPLACE FUNCTION aging_balances_roll(ws uuid, on_date date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  rolled integer;
BEGIN
  PERFORM 1 FROM aging_balances
  WHERE workspace_id = ws AND overdue_before <> on_date
  ORDER BY client_id, currency FOR UPDATE;
  -- A new statement, so a new snapshot: every change committed before the locks were taken is seen.
  WITH due AS (
    SELECT b.client_id, b.currency,
      coalesce(sum(i.open_minor) FILTER (WHERE coalesce(i.due_date, i.issue_date) < on_date), 0) AS overdue,
      coalesce(sum(i.open_minor::numeric * (coalesce(i.due_date, i.issue_date) - date '2000-01-01'))
        FILTER (WHERE coalesce(i.due_date, i.issue_date) < on_date), 0) AS overdue_days
    FROM aging_balances b
    JOIN invoices i ON i.workspace_id = ws AND i.client_id = b.client_id AND i.currency = b.currency
      AND i.open_minor <> 0 AND i.kind <> 'credit_note' AND i.status NOT IN ('draft', 'held', 'void')
      AND i.issue_date IS NOT NULL
    WHERE b.workspace_id = ws AND b.overdue_before <> on_date
    GROUP BY b.client_id, b.currency
  )
  UPDATE aging_balances b SET overdue_before = on_date, overdue_minor = due.overdue,
    overdue_day_sum = due.overdue_days
  FROM due
  WHERE b.workspace_id = ws AND b.client_id = due.client_id AND b.currency = due.currency;
  GET DIAGNOSTICS rolled = ROW_COUNT;
  RETURN rolled;
END;
$$;
