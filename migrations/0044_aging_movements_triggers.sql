-- /aging at any date within the kept month-ends (src/aging/month-end-repo.ts) starts from the nearest
-- month-end and applies what moved in between: aging_movements (each day a receivable's open amount
-- changed, with the amount before and after it) and aging_month_end_dues (per client, the open
-- amounts falling due near a month-end). DSO / ADD / CEI read aging_daily_collections (cash per day).
-- Same definitions as the full as-of computation of src/aging/repo.ts: open at X, for a receivable
-- (not a credit note, not draft/held/void) issued on or before X, = open_minor + payments dated after
-- X + credit notes (not draft/held/void) against it issued after X.

-- Rewrites the movements of receivables `ids` from their current state (an id that is no longer a
-- receivable, or gone, loses its rows). One row per day its open amount at the end of the day
-- changed: its issue date (0 before it, not yet a receivable) and each later payment or credit day.
CREATE FUNCTION aging_movements_redo(ids uuid[]) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM aging_movements WHERE invoice_id = ANY(ids);
  INSERT INTO aging_movements (workspace_id, invoice_id, on_date, client_id, currency, due_on, issue_date,
    open_before, open_after)
  WITH receivables AS (
    SELECT i.id, i.workspace_id, i.client_id, i.currency, coalesce(i.due_date, i.issue_date) AS due_on,
      i.issue_date, i.open_minor
    FROM invoices i
    WHERE i.id = ANY(ids) AND i.kind <> 'credit_note' AND i.status NOT IN ('draft', 'held', 'void')
      AND i.issue_date IS NOT NULL
  ),
  flows AS (
    SELECT f.invoice_id, f.on_date, sum(f.amount)::bigint AS amount FROM (
      SELECT p.invoice_id, p.paid_on AS on_date, p.amount_minor AS amount FROM payments p WHERE p.invoice_id = ANY(ids)
      UNION ALL
      SELECT cn.corrects_invoice_id, cn.issue_date, abs(cn.total_minor - cn.withholding_minor)
      FROM invoices cn
      WHERE cn.corrects_invoice_id = ANY(ids) AND cn.kind = 'credit_note'
        AND cn.status NOT IN ('draft', 'held', 'void') AND cn.issue_date IS NOT NULL
    ) f GROUP BY f.invoice_id, f.on_date
  ),
  -- What was paid or credited on or before the issue date is already out of its first open amount.
  days AS (
    SELECT r.*, r.issue_date AS on_date, 0::bigint AS amount, true AS issued FROM receivables r
    UNION ALL
    SELECT r.*, f.on_date, f.amount, false FROM receivables r JOIN flows f ON f.invoice_id = r.id AND f.on_date > r.issue_date
  ),
  -- Open at the end of day d = open now + what was paid or credited after d.
  states AS (
    SELECT d.*, (d.open_minor + sum(d.amount) OVER (PARTITION BY d.id)
      - sum(d.amount) OVER (PARTITION BY d.id ORDER BY d.on_date))::bigint AS open_after
    FROM days d
  )
  SELECT workspace_id, id, on_date, client_id, currency, due_on, issue_date,
    CASE WHEN issued THEN 0 ELSE open_after + amount END, open_after
  FROM states
  WHERE CASE WHEN issued THEN 0 ELSE open_after + amount END <> open_after;
$$;
--> statement-breakpoint
-- Recomputes one workspace's movements (bulk loads with triggers off, this migration).
CREATE FUNCTION aging_movements_rebuild(ws uuid) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM aging_movements WHERE workspace_id = ws;
  SELECT aging_movements_redo(array_agg(id)) FROM invoices
  WHERE workspace_id = ws AND kind <> 'credit_note' AND status NOT IN ('draft', 'held', 'void') AND issue_date IS NOT NULL;
$$;
--> statement-breakpoint
-- A statement on invoices: the receivables whose inputs it changed (themselves, or the invoices
-- the credit notes it changed correct). Writes that change none of them (sent stamps) do nothing.
CREATE FUNCTION aging_movements_follow_invoices() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT x) INTO ids FROM (
      SELECT unnest(array[n.id, n.corrects_invoice_id]) AS x FROM aging_new n
    ) s WHERE x IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT x) INTO ids FROM (
      SELECT unnest(array[o.id, o.corrects_invoice_id]) AS x FROM aging_old o
    ) s WHERE x IS NOT NULL;
  ELSE
    SELECT array_agg(DISTINCT x) INTO ids FROM (
      SELECT unnest(array[n.id, n.corrects_invoice_id, o.corrects_invoice_id]) AS x
      FROM aging_new n JOIN aging_old o ON o.id = n.id
      WHERE (o.workspace_id, o.client_id, o.currency, o.kind, o.status, o.issue_date, o.due_date, o.open_minor,
          o.corrects_invoice_id, o.total_minor, o.withholding_minor)
        IS DISTINCT FROM (n.workspace_id, n.client_id, n.currency, n.kind, n.status, n.issue_date, n.due_date,
          n.open_minor, n.corrects_invoice_id, n.total_minor, n.withholding_minor)
    ) s WHERE x IS NOT NULL;
  END IF;
  IF ids IS NOT NULL THEN
    PERFORM aging_movements_redo(ids);
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER aging_movements_on_insert AFTER INSERT ON invoices
  REFERENCING NEW TABLE AS aging_new FOR EACH STATEMENT EXECUTE FUNCTION aging_movements_follow_invoices();
--> statement-breakpoint
CREATE TRIGGER aging_movements_on_update AFTER UPDATE ON invoices
  REFERENCING OLD TABLE AS aging_old NEW TABLE AS aging_new FOR EACH STATEMENT EXECUTE FUNCTION aging_movements_follow_invoices();
--> statement-breakpoint
CREATE TRIGGER aging_movements_on_delete AFTER DELETE ON invoices
  REFERENCING OLD TABLE AS aging_old FOR EACH STATEMENT EXECUTE FUNCTION aging_movements_follow_invoices();
--> statement-breakpoint
-- Cash collected on a day in a currency, counted in or out.
CREATE TYPE aging_cash AS (workspace_id uuid, currency char(3), paid_on date, amount bigint);
--> statement-breakpoint
-- A statement on payments: the invoices of the payments it changed; and the day's cash collected.
CREATE FUNCTION aging_movements_follow_payments() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  moved aging_cash[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT n.invoice_id) INTO ids FROM aging_new n;
    SELECT array_agg(ROW(n.workspace_id, n.currency, n.paid_on, n.amount_minor)::aging_cash) INTO moved FROM aging_new n;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT o.invoice_id) INTO ids FROM aging_old o;
    SELECT array_agg(ROW(o.workspace_id, o.currency, o.paid_on, -o.amount_minor)::aging_cash) INTO moved FROM aging_old o;
  ELSE
    SELECT array_agg(DISTINCT x) INTO ids FROM (
      SELECT unnest(array[n.invoice_id, o.invoice_id]) AS x
      FROM aging_new n JOIN aging_old o ON o.id = n.id
      WHERE (o.invoice_id, o.paid_on, o.amount_minor) IS DISTINCT FROM (n.invoice_id, n.paid_on, n.amount_minor)
    ) s;
    SELECT array_agg(m) INTO moved FROM (
      SELECT ROW(o.workspace_id, o.currency, o.paid_on, -o.amount_minor)::aging_cash AS m
      FROM aging_old o JOIN aging_new n ON n.id = o.id
      WHERE (o.workspace_id, o.currency, o.paid_on, o.amount_minor) IS DISTINCT FROM (n.workspace_id, n.currency, n.paid_on, n.amount_minor)
      UNION ALL
      SELECT ROW(n.workspace_id, n.currency, n.paid_on, n.amount_minor)::aging_cash
      FROM aging_old o JOIN aging_new n ON n.id = o.id
      WHERE (o.workspace_id, o.currency, o.paid_on, o.amount_minor) IS DISTINCT FROM (n.workspace_id, n.currency, n.paid_on, n.amount_minor)
    ) x;
  END IF;
  IF ids IS NOT NULL THEN
    PERFORM aging_movements_redo(ids);
  END IF;
  IF moved IS NOT NULL THEN
    INSERT INTO aging_daily_collections AS c (workspace_id, currency, paid_on, amount_minor)
    SELECT workspace_id, currency, paid_on, sum(amount) FROM unnest(moved)
    GROUP BY workspace_id, currency, paid_on
    HAVING sum(amount) <> 0
    ORDER BY workspace_id, currency, paid_on
    ON CONFLICT (workspace_id, currency, paid_on) DO UPDATE SET amount_minor = c.amount_minor + excluded.amount_minor;
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER aging_movements_on_payment_insert AFTER INSERT ON payments
  REFERENCING NEW TABLE AS aging_new FOR EACH STATEMENT EXECUTE FUNCTION aging_movements_follow_payments();
--> statement-breakpoint
CREATE TRIGGER aging_movements_on_payment_update AFTER UPDATE ON payments
  REFERENCING OLD TABLE AS aging_old NEW TABLE AS aging_new FOR EACH STATEMENT EXECUTE FUNCTION aging_movements_follow_payments();
--> statement-breakpoint
CREATE TRIGGER aging_movements_on_payment_delete AFTER DELETE ON payments
  REFERENCING OLD TABLE AS aging_old FOR EACH STATEMENT EXECUTE FUNCTION aging_movements_follow_payments();
--> statement-breakpoint
CREATE FUNCTION aging_daily_collections_rebuild(ws uuid) RETURNS void
LANGUAGE sql AS $$
  DELETE FROM aging_daily_collections WHERE workspace_id = ws;
  INSERT INTO aging_daily_collections (workspace_id, currency, paid_on, amount_minor)
  SELECT workspace_id, currency, paid_on, sum(amount_minor) FROM payments WHERE workspace_id = ws
  GROUP BY workspace_id, currency, paid_on HAVING sum(amount_minor) <> 0;
$$;
--> statement-breakpoint
-- aging_month_ends_shift of migration 0037, also keeping the dues near each month-end.
CREATE OR REPLACE FUNCTION aging_month_ends_shift(items aging_me_item[], flows aging_me_flow[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  deltas aging_me_delta[];
BEGIN
  SELECT array_agg(ROW(workspace_id, month_end, client_id, currency, due_on, issue_date, n, amount)::aging_me_delta
      ORDER BY workspace_id, month_end, client_id, currency, due_on, issue_date)
  INTO deltas FROM (
    SELECT o.workspace_id, o.month_end, o.client_id, o.currency, o.due_on, o.issue_date,
      sum(o.sign)::integer AS n, sum(o.sign * o.open_m)::bigint AS amount
    FROM (
      SELECT i.workspace_id, m.month_end, i.client_id, i.currency, i.due_on, i.issue_date, i.sign,
        i.open_minor + coalesce(sum(f.amount), 0) AS open_m
      FROM unnest(items) i
      JOIN aging_month_ends m ON m.workspace_id = i.workspace_id AND m.month_end >= i.issue_date
      LEFT JOIN unnest(flows) f ON f.invoice_id = i.invoice_id AND f.sign = i.sign AND f.on_date > m.month_end
      GROUP BY i.workspace_id, m.month_end, i.client_id, i.currency, i.due_on, i.issue_date, i.sign,
        i.invoice_id, i.open_minor
    ) o
    WHERE o.open_m <> 0
    GROUP BY o.workspace_id, o.month_end, o.client_id, o.currency, o.due_on, o.issue_date
    HAVING sum(o.sign) <> 0 OR sum(o.sign * o.open_m) <> 0
  ) d;
  IF deltas IS NULL THEN
    RETURN;
  END IF;

  INSERT INTO aging_month_end_totals AS t (workspace_id, month_end, currency, due_on, issue_date, open_count, open_minor)
  SELECT workspace_id, month_end, currency, due_on, issue_date, sum(n), sum(amount)
  FROM unnest(deltas) GROUP BY workspace_id, month_end, currency, due_on, issue_date
  ORDER BY workspace_id, month_end, currency, due_on, issue_date
  ON CONFLICT (workspace_id, month_end, currency, due_on, issue_date) DO UPDATE SET
    open_count = t.open_count + excluded.open_count, open_minor = t.open_minor + excluded.open_minor;
  DELETE FROM aging_month_end_totals t USING unnest(deltas) d
  WHERE t.workspace_id = d.workspace_id AND t.month_end = d.month_end AND t.currency = d.currency
    AND t.due_on = d.due_on AND t.issue_date = d.issue_date AND t.open_count = 0 AND t.open_minor = 0;

  INSERT INTO aging_month_end_balances AS b (workspace_id, month_end, client_id, currency, open_count, open_minor,
    issue_day_sum, overdue_minor, overdue_day_sum)
  SELECT workspace_id, month_end, client_id, currency, sum(n), sum(amount),
    sum(amount::numeric * (issue_date - date '2000-01-01')),
    coalesce(sum(amount) FILTER (WHERE due_on < month_end), 0),
    coalesce(sum(amount::numeric * (due_on - date '2000-01-01')) FILTER (WHERE due_on < month_end), 0)
  FROM unnest(deltas) GROUP BY workspace_id, month_end, client_id, currency
  ORDER BY workspace_id, month_end, client_id, currency
  ON CONFLICT (workspace_id, month_end, client_id, currency) DO UPDATE SET
    open_count = b.open_count + excluded.open_count, open_minor = b.open_minor + excluded.open_minor,
    issue_day_sum = b.issue_day_sum + excluded.issue_day_sum,
    overdue_minor = b.overdue_minor + excluded.overdue_minor,
    overdue_day_sum = b.overdue_day_sum + excluded.overdue_day_sum;
  DELETE FROM aging_month_end_balances b USING unnest(deltas) d
  WHERE b.workspace_id = d.workspace_id AND b.month_end = d.month_end AND b.client_id = d.client_id
    AND b.currency = d.currency AND b.open_count = 0 AND b.open_minor = 0;

  INSERT INTO aging_month_end_dues AS u (workspace_id, month_end, due_on, client_id, currency, open_minor)
  SELECT workspace_id, month_end, due_on, client_id, currency, sum(amount)
  FROM unnest(deltas) WHERE due_on BETWEEN month_end - 16 AND month_end + 31
  GROUP BY workspace_id, month_end, due_on, client_id, currency
  ORDER BY workspace_id, month_end, due_on, client_id, currency
  ON CONFLICT (workspace_id, month_end, due_on, client_id, currency) DO UPDATE SET
    open_minor = u.open_minor + excluded.open_minor;
  DELETE FROM aging_month_end_dues u USING unnest(deltas) d
  WHERE u.workspace_id = d.workspace_id AND u.month_end = d.month_end AND u.due_on = d.due_on
    AND u.client_id = d.client_id AND u.currency = d.currency AND u.open_minor = 0;
END;
$$;
--> statement-breakpoint
-- aging_month_end_take of migration 0037, also taking the dues near the month-end.
CREATE OR REPLACE FUNCTION aging_month_end_take(ws uuid, me date) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE invoices, payments IN SHARE MODE;
  DELETE FROM aging_month_end_balances WHERE workspace_id = ws AND month_end = me;
  DELETE FROM aging_month_end_totals WHERE workspace_id = ws AND month_end = me;
  DELETE FROM aging_month_end_dues WHERE workspace_id = ws AND month_end = me;
  INSERT INTO aging_month_ends (workspace_id, month_end) VALUES (ws, me) ON CONFLICT DO NOTHING;
  CREATE TEMP TABLE aging_me_take ON COMMIT DROP AS
  WITH paid_after AS (
    SELECT p.invoice_id, sum(p.amount_minor)::bigint AS amount FROM payments p
    WHERE p.workspace_id = ws AND p.paid_on > me GROUP BY p.invoice_id
  ),
  credited_after AS (
    SELECT cn.corrects_invoice_id AS invoice_id, sum(abs(cn.total_minor - cn.withholding_minor))::bigint AS amount
    FROM invoices cn
    WHERE cn.workspace_id = ws AND cn.kind = 'credit_note' AND cn.corrects_invoice_id IS NOT NULL
      AND cn.status NOT IN ('draft', 'held', 'void') AND cn.issue_date > me
    GROUP BY cn.corrects_invoice_id
  ),
  touched AS (SELECT invoice_id FROM paid_after UNION SELECT invoice_id FROM credited_after),
  candidates AS (
    SELECT i.* FROM invoices i WHERE i.workspace_id = ws AND i.open_minor <> 0 AND i.issue_date <= me
    UNION ALL
    SELECT i.* FROM invoices i JOIN touched t ON t.invoice_id = i.id
    WHERE i.workspace_id = ws AND i.open_minor = 0 AND i.issue_date <= me
  )
  SELECT i.client_id, i.currency, coalesce(i.due_date, i.issue_date) AS due_on, i.issue_date,
    (i.open_minor + coalesce(pa.amount, 0) + coalesce(ca.amount, 0))::bigint AS open_m
  FROM candidates i
  LEFT JOIN paid_after pa ON pa.invoice_id = i.id
  LEFT JOIN credited_after ca ON ca.invoice_id = i.id
  WHERE i.kind <> 'credit_note' AND i.status NOT IN ('draft', 'held', 'void')
    AND i.open_minor + coalesce(pa.amount, 0) + coalesce(ca.amount, 0) <> 0;
  INSERT INTO aging_month_end_balances (workspace_id, month_end, client_id, currency, open_count, open_minor,
    issue_day_sum, overdue_minor, overdue_day_sum)
  SELECT ws, me, client_id, currency, count(*), sum(open_m), sum(open_m::numeric * (issue_date - date '2000-01-01')),
    coalesce(sum(open_m) FILTER (WHERE due_on < me), 0),
    coalesce(sum(open_m::numeric * (due_on - date '2000-01-01')) FILTER (WHERE due_on < me), 0)
  FROM aging_me_take GROUP BY client_id, currency;
  INSERT INTO aging_month_end_totals (workspace_id, month_end, currency, due_on, issue_date, open_count, open_minor)
  SELECT ws, me, currency, due_on, issue_date, count(*), sum(open_m)
  FROM aging_me_take GROUP BY currency, due_on, issue_date;
  INSERT INTO aging_month_end_dues (workspace_id, month_end, due_on, client_id, currency, open_minor)
  SELECT ws, me, due_on, client_id, currency, sum(open_m)
  FROM aging_me_take WHERE due_on BETWEEN me - 16 AND me + 31
  GROUP BY due_on, client_id, currency HAVING sum(open_m) <> 0;
  DROP TABLE aging_me_take;
END;
$$;
--> statement-breakpoint
-- aging_month_ends_keep of migration 0037, also forgetting the dues of month-ends it forgets.
CREATE OR REPLACE FUNCTION aging_month_ends_keep(ws uuid, today date) RETURNS date
LANGUAGE plpgsql AS $$
DECLARE
  missing date;
  oldest date := (date_trunc('month', today) - interval '24 months')::date;
BEGIN
  DELETE FROM aging_month_ends WHERE workspace_id = ws AND month_end < oldest;
  DELETE FROM aging_month_end_balances WHERE workspace_id = ws AND month_end < oldest;
  DELETE FROM aging_month_end_totals WHERE workspace_id = ws AND month_end < oldest;
  DELETE FROM aging_month_end_dues WHERE workspace_id = ws AND month_end < oldest;
  SELECT e INTO missing FROM (
    SELECT (date_trunc('month', today) - make_interval(months => k) - interval '1 day')::date AS e
    FROM generate_series(0, 23) k
  ) ends
  WHERE NOT EXISTS (SELECT 1 FROM aging_month_ends m WHERE m.workspace_id = ws AND m.month_end = ends.e)
  ORDER BY e DESC LIMIT 1;
  IF missing IS NOT NULL THEN
    PERFORM aging_month_end_take(ws, missing);
  END IF;
  RETURN missing;
END;
$$;
--> statement-breakpoint
SELECT aging_movements_rebuild(id), aging_daily_collections_rebuild(id) FROM workspaces;
--> statement-breakpoint
SELECT aging_month_end_take(workspace_id, month_end) FROM aging_month_ends;
