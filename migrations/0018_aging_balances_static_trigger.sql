-- The open-balance trigger with static statements (their plans are cached per session, where the
-- dynamic ones were planned at every call: ~4 ms per one-row update) and an early return when no
-- open receivable changed (a statement that stamps sent_at, edits a draft…).
CREATE TYPE aging_moved AS (
  workspace_id uuid, client_id uuid, currency char(3), due_on date, issue_date date, sign integer, amount bigint
);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION aging_balances_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  moved aging_moved[];
  changed_dates aging_moved[];
  changed_keys aging_moved[];
BEGIN
  -- The open receivables as they were (counted out) and as they are (counted in); same definition
  -- as src/db/repos/aging.ts.
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(ROW(workspace_id, client_id, currency, coalesce(due_date, issue_date), issue_date, 1, open_minor)::aging_moved)
    INTO moved FROM aging_new
    WHERE open_minor <> 0 AND kind <> 'credit_note' AND status NOT IN ('draft', 'held', 'void') AND issue_date IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(ROW(workspace_id, client_id, currency, coalesce(due_date, issue_date), issue_date, -1, -open_minor)::aging_moved)
    INTO moved FROM aging_old
    WHERE open_minor <> 0 AND kind <> 'credit_note' AND status NOT IN ('draft', 'held', 'void') AND issue_date IS NOT NULL;
  ELSE
    SELECT array_agg(m) INTO moved FROM (
      SELECT ROW(workspace_id, client_id, currency, coalesce(due_date, issue_date), issue_date, -1, -open_minor)::aging_moved AS m
      FROM aging_old
      WHERE open_minor <> 0 AND kind <> 'credit_note' AND status NOT IN ('draft', 'held', 'void') AND issue_date IS NOT NULL
      UNION ALL
      SELECT ROW(workspace_id, client_id, currency, coalesce(due_date, issue_date), issue_date, 1, open_minor)::aging_moved
      FROM aging_new
      WHERE open_minor <> 0 AND kind <> 'credit_note' AND status NOT IN ('draft', 'held', 'void') AND issue_date IS NOT NULL
    ) rows;
  END IF;
  IF moved IS NULL THEN
    RETURN NULL;
  END IF;
  -- Net changes per currency × due date × issue date, and the balances whose open items changed.
  SELECT array_agg(ROW(workspace_id, NULL, currency, due_on, issue_date, n, amount)::aging_moved
      ORDER BY workspace_id, currency, due_on, issue_date)
  INTO changed_dates FROM (
    SELECT workspace_id, currency, due_on, issue_date, sum(sign)::integer AS n, sum(amount)::bigint AS amount
    FROM unnest(moved) GROUP BY workspace_id, currency, due_on, issue_date
    HAVING sum(sign) <> 0 OR sum(amount) <> 0
  ) d;
  SELECT array_agg(ROW(workspace_id, client_id, currency, NULL, NULL, 0, 0)::aging_moved
      ORDER BY workspace_id, client_id, currency)
  INTO changed_keys FROM (
    SELECT workspace_id, client_id, currency FROM unnest(moved) GROUP BY workspace_id, client_id, currency
    HAVING sum(sign) <> 0 OR sum(amount) <> 0
      OR sum(amount::numeric * (due_on - date '2000-01-01')) <> 0
      OR sum(amount::numeric * (issue_date - date '2000-01-01')) <> 0
  ) k;

  IF changed_dates IS NOT NULL THEN
    INSERT INTO aging_due_totals AS t (workspace_id, currency, due_on, issue_date, open_count, open_minor)
    SELECT workspace_id, currency, due_on, issue_date, sign, amount FROM unnest(changed_dates)
    ON CONFLICT (workspace_id, currency, due_on, issue_date) DO UPDATE SET
      open_count = t.open_count + excluded.open_count,
      open_minor = t.open_minor + excluded.open_minor;
    DELETE FROM aging_due_totals t USING unnest(changed_dates) c
    WHERE t.workspace_id = c.workspace_id AND t.currency = c.currency AND t.due_on = c.due_on
      AND t.issue_date = c.issue_date AND t.open_count = 0 AND t.open_minor = 0;
  END IF;

  IF changed_keys IS NOT NULL THEN
    -- Lock each changed balance (creating it when new, rolled to the server's date), in key order.
    INSERT INTO aging_balances AS b (workspace_id, client_id, currency, open_count, open_minor, issue_day_sum,
      overdue_before, overdue_minor, overdue_day_sum)
    SELECT workspace_id, client_id, currency, 0, 0, 0, current_date, 0, 0 FROM unnest(changed_keys)
    ON CONFLICT (workspace_id, client_id, currency) DO UPDATE SET open_count = b.open_count;
    -- A new statement, so a new snapshot: every change committed before the lock was taken is seen.
    WITH fresh AS (
      SELECT b.workspace_id, b.client_id, b.currency, count(i.id) AS n, coalesce(sum(i.open_minor), 0) AS open,
        coalesce(sum(i.open_minor::numeric * (i.issue_date - date '2000-01-01')), 0) AS issue_days,
        coalesce(sum(i.open_minor) FILTER (WHERE coalesce(i.due_date, i.issue_date) < b.overdue_before), 0)
          AS overdue,
        coalesce(sum(i.open_minor::numeric * (coalesce(i.due_date, i.issue_date) - date '2000-01-01'))
          FILTER (WHERE coalesce(i.due_date, i.issue_date) < b.overdue_before), 0) AS overdue_days
      FROM unnest(changed_keys) k
      JOIN aging_balances b ON b.workspace_id = k.workspace_id AND b.client_id = k.client_id AND b.currency = k.currency
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
    WHERE b.workspace_id = f.workspace_id AND b.client_id = f.client_id AND b.currency = f.currency AND f.n > 0;
  END IF;
  RETURN NULL;
END;
$$;
