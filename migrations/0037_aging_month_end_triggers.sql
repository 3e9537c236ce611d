-- Month-end open balances (aging_month_end_balances, aging_month_end_totals; src/db/schema/aging.ts)
-- kept equal to the full as-of computation of src/aging/repo.ts at every listed month-end M:
--   open at M = open_minor + payments dated after M + credit notes issued after M against it,
--   for receivables (not a credit note, not draft/held/void) issued on or before M.
-- Each write changes one input of that formula (an invoice row, a payment, a credit note); the
-- triggers below add what its invoices contribute after the write and take out what they
-- contributed before it, the other inputs read as they stand. Summed over any sequence of writes
-- that telescopes to the formula on the final state, whatever the order of the statements inside
-- a transaction (a payment row and its invoice's open_minor update, a credit note and its
-- invoice). Writes to invoices issued after the last listed month-end change nothing here.
CREATE TYPE aging_me_doc AS (
  id uuid, workspace_id uuid, client_id uuid, currency char(3), kind text, status text, issue_date date,
  due_date date, open_minor bigint, corrects_invoice_id uuid, collectible bigint
);
--> statement-breakpoint
-- One receivable's state, counted in (sign 1) or out (sign -1).
CREATE TYPE aging_me_item AS (
  workspace_id uuid, invoice_id uuid, client_id uuid, currency char(3), issue_date date, due_on date,
  open_minor bigint, sign integer
);
--> statement-breakpoint
-- A payment (on_date = paid_on) or credit note (its issue date) of an item's state: it adds to the
-- open amount at every month-end before on_date.
CREATE TYPE aging_me_flow AS (invoice_id uuid, sign integer, on_date date, amount bigint);
--> statement-breakpoint
CREATE TYPE aging_me_delta AS (
  workspace_id uuid, month_end date, client_id uuid, currency char(3), due_on date, issue_date date,
  n integer, amount bigint
);
--> statement-breakpoint
CREATE FUNCTION aging_me_receivable(d aging_me_doc) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT d.kind <> 'credit_note' AND d.status NOT IN ('draft', 'held', 'void') AND d.issue_date IS NOT NULL
$$;
--> statement-breakpoint
-- Adds the items' contributions at every listed month-end on or after their issue date.
CREATE FUNCTION aging_month_ends_shift(items aging_me_item[], flows aging_me_flow[]) RETURNS void
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
END;
$$;
--> statement-breakpoint
-- Before/after states of the receivables a statement on invoices touched (themselves, or the
-- invoice a changed credit note corrects), with their payments and credit notes.
CREATE FUNCTION aging_month_ends_follow_docs(olds aging_me_doc[], news aging_me_doc[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  changed aging_me_doc[];
  touched uuid[];
  items aging_me_item[];
  flows aging_me_flow[];
  kept uuid[];
BEGIN
  -- Rows whose aging inputs changed (a statement stamping sent_at changes none).
  SELECT array_agg(c) INTO changed FROM (
    SELECT o AS c FROM unnest(olds) o
    WHERE NOT EXISTS (SELECT 1 FROM unnest(news) n WHERE n.id = o.id AND n IS NOT DISTINCT FROM o)
    UNION ALL
    SELECT n FROM unnest(news) n
    WHERE NOT EXISTS (SELECT 1 FROM unnest(olds) o WHERE o.id = n.id AND n IS NOT DISTINCT FROM o)
  ) x;
  IF changed IS NULL THEN
    RETURN;
  END IF;
  SELECT array_agg(DISTINCT t) INTO touched FROM (
    SELECT CASE WHEN c.kind = 'credit_note' THEN c.corrects_invoice_id ELSE c.id END AS t FROM unnest(changed) c
  ) x WHERE t IS NOT NULL;
  IF touched IS NULL THEN
    RETURN;
  END IF;
  -- Each touched receivable as it was (the old row, or the current one when this statement did
  -- not change it) and as it is, when issued on or before the workspace's last listed month-end.
  WITH current_docs AS (
    SELECT ROW(i.id, i.workspace_id, i.client_id, i.currency, i.kind, i.status, i.issue_date, i.due_date,
      i.open_minor, i.corrects_invoice_id, i.total_minor - i.withholding_minor)::aging_me_doc AS d
    FROM invoices i WHERE i.id = ANY(touched)
  ),
  states AS (
    SELECT -1 AS sign, coalesce(
      (SELECT o FROM unnest(olds) o WHERE o.id = t.id),
      CASE WHEN EXISTS (SELECT 1 FROM unnest(news) n WHERE n.id = t.id) THEN NULL
        ELSE (SELECT c.d FROM current_docs c WHERE (c.d).id = t.id) END
    ) AS d FROM unnest(touched) t(id)
    UNION ALL
    SELECT 1, (SELECT c.d FROM current_docs c WHERE (c.d).id = t.id) FROM unnest(touched) t(id)
  )
  SELECT array_agg(ROW((s.d).workspace_id, (s.d).id, (s.d).client_id, (s.d).currency, (s.d).issue_date,
      coalesce((s.d).due_date, (s.d).issue_date), (s.d).open_minor, s.sign)::aging_me_item)
  INTO items
  FROM states s
  WHERE (s.d).id IS NOT NULL AND aging_me_receivable(s.d)
    AND (s.d).issue_date <= (SELECT max(m.month_end) FROM aging_month_ends m WHERE m.workspace_id = (s.d).workspace_id);
  IF items IS NULL THEN
    RETURN;
  END IF;
  SELECT array_agg(DISTINCT i.invoice_id) INTO kept FROM unnest(items) i;
  -- This statement changed no payment; its credit notes are counted out as they were.
  SELECT array_agg(f) INTO flows FROM (
    SELECT ROW(p.invoice_id, s.sign, p.paid_on, p.amount_minor)::aging_me_flow AS f
    FROM payments p CROSS JOIN (VALUES (-1), (1)) s(sign) WHERE p.invoice_id = ANY(kept)
    UNION ALL
    SELECT ROW(cn.corrects_invoice_id, 1, cn.issue_date, abs(cn.total_minor - cn.withholding_minor))::aging_me_flow
    FROM invoices cn
    WHERE cn.corrects_invoice_id = ANY(kept) AND cn.kind = 'credit_note' AND cn.status NOT IN ('draft', 'held', 'void')
    UNION ALL
    SELECT ROW(cn.corrects_invoice_id, -1, cn.issue_date, abs(cn.total_minor - cn.withholding_minor))::aging_me_flow
    FROM invoices cn
    WHERE cn.corrects_invoice_id = ANY(kept) AND cn.kind = 'credit_note' AND cn.status NOT IN ('draft', 'held', 'void')
      AND NOT EXISTS (SELECT 1 FROM unnest(news) n WHERE n.id = cn.id)
    UNION ALL
    SELECT ROW(o.corrects_invoice_id, -1, o.issue_date, abs(o.collectible))::aging_me_flow
    FROM unnest(olds) o
    WHERE o.corrects_invoice_id = ANY(kept) AND o.kind = 'credit_note' AND o.status NOT IN ('draft', 'held', 'void')
  ) x;
  PERFORM aging_month_ends_shift(items, flows);
END;
$$;
--> statement-breakpoint
CREATE FUNCTION aging_month_ends_follow_invoices() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  olds aging_me_doc[] := '{}';
  news aging_me_doc[] := '{}';
BEGIN
  IF NOT EXISTS (SELECT 1 FROM aging_month_ends) THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT coalesce(array_agg(ROW(o.id, o.workspace_id, o.client_id, o.currency, o.kind, o.status, o.issue_date,
      o.due_date, o.open_minor, o.corrects_invoice_id, o.total_minor - o.withholding_minor)::aging_me_doc), '{}')
    INTO olds FROM aging_old o;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    SELECT coalesce(array_agg(ROW(n.id, n.workspace_id, n.client_id, n.currency, n.kind, n.status, n.issue_date,
      n.due_date, n.open_minor, n.corrects_invoice_id, n.total_minor - n.withholding_minor)::aging_me_doc), '{}')
    INTO news FROM aging_new n;
  END IF;
  PERFORM aging_month_ends_follow_docs(olds, news);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER aging_month_ends_on_insert AFTER INSERT ON invoices
  REFERENCING NEW TABLE AS aging_new FOR EACH STATEMENT EXECUTE FUNCTION aging_month_ends_follow_invoices();
--> statement-breakpoint
CREATE TRIGGER aging_month_ends_on_update AFTER UPDATE ON invoices
  REFERENCING OLD TABLE AS aging_old NEW TABLE AS aging_new FOR EACH STATEMENT EXECUTE FUNCTION aging_month_ends_follow_invoices();
--> statement-breakpoint
CREATE TRIGGER aging_month_ends_on_delete AFTER DELETE ON invoices
  REFERENCING OLD TABLE AS aging_old FOR EACH STATEMENT EXECUTE FUNCTION aging_month_ends_follow_invoices();
--> statement-breakpoint
-- A statement on payments: the invoices they pay, counted out with the payments as they were and in
-- with the payments as they are.
CREATE FUNCTION aging_month_ends_follow_payments() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  olds aging_me_flow[] := '{}';
  news aging_me_flow[] := '{}';
  new_ids uuid[] := '{}';
  touched uuid[];
  items aging_me_item[];
  flows aging_me_flow[];
  kept uuid[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM aging_month_ends) THEN
    RETURN NULL;
  END IF;
  -- Each branch names only the transition tables its event has.
  IF TG_OP = 'DELETE' THEN
    SELECT coalesce(array_agg(ROW(o.invoice_id, -1, o.paid_on, o.amount_minor)::aging_me_flow), '{}') INTO olds
    FROM aging_old o;
  ELSIF TG_OP = 'INSERT' THEN
    SELECT coalesce(array_agg(ROW(n.invoice_id, 1, n.paid_on, n.amount_minor)::aging_me_flow), '{}'),
      coalesce(array_agg(n.id), '{}')
    INTO news, new_ids FROM aging_new n;
  ELSE
    SELECT coalesce(array_agg(ROW(o.invoice_id, -1, o.paid_on, o.amount_minor)::aging_me_flow), '{}') INTO olds
    FROM aging_old o
    WHERE NOT EXISTS (
      SELECT 1 FROM aging_new n WHERE n.id = o.id AND n.invoice_id = o.invoice_id AND n.paid_on = o.paid_on
        AND n.amount_minor = o.amount_minor);
    SELECT coalesce(array_agg(ROW(n.invoice_id, 1, n.paid_on, n.amount_minor)::aging_me_flow), '{}'),
      coalesce(array_agg(n.id), '{}')
    INTO news, new_ids
    FROM aging_new n
    WHERE NOT EXISTS (
      SELECT 1 FROM aging_old o WHERE n.id = o.id AND n.invoice_id = o.invoice_id AND n.paid_on = o.paid_on
        AND n.amount_minor = o.amount_minor);
  END IF;
  SELECT array_agg(DISTINCT f.invoice_id) INTO touched FROM (SELECT * FROM unnest(olds) UNION ALL SELECT * FROM unnest(news)) f;
  IF touched IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT array_agg(ROW(i.workspace_id, i.id, i.client_id, i.currency, i.issue_date, coalesce(i.due_date, i.issue_date),
      i.open_minor, s.sign)::aging_me_item)
  INTO items
  FROM invoices i CROSS JOIN (VALUES (-1), (1)) s(sign)
  WHERE i.id = ANY(touched) AND i.kind <> 'credit_note' AND i.status NOT IN ('draft', 'held', 'void')
    AND i.issue_date <= (SELECT max(m.month_end) FROM aging_month_ends m WHERE m.workspace_id = i.workspace_id);
  IF items IS NULL THEN
    RETURN NULL;
  END IF;
  SELECT array_agg(DISTINCT i.invoice_id) INTO kept FROM unnest(items) i;
  -- The changed payments (olds, and the current rows that are not new) count out; the current rows in.
  SELECT array_agg(f) INTO flows FROM (
    SELECT ROW(p.invoice_id, 1, p.paid_on, p.amount_minor)::aging_me_flow AS f
    FROM payments p WHERE p.invoice_id = ANY(kept)
    UNION ALL
    SELECT ROW(p.invoice_id, -1, p.paid_on, p.amount_minor)::aging_me_flow
    FROM payments p WHERE p.invoice_id = ANY(kept) AND NOT (p.id = ANY(new_ids))
    UNION ALL
    SELECT o FROM unnest(olds) o WHERE o.invoice_id = ANY(kept)
    UNION ALL
    SELECT ROW(cn.corrects_invoice_id, s.sign, cn.issue_date, abs(cn.total_minor - cn.withholding_minor))::aging_me_flow
    FROM invoices cn CROSS JOIN (VALUES (-1), (1)) s(sign)
    WHERE cn.corrects_invoice_id = ANY(kept) AND cn.kind = 'credit_note' AND cn.status NOT IN ('draft', 'held', 'void')
  ) x;
  PERFORM aging_month_ends_shift(items, flows);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER aging_month_ends_on_payment_insert AFTER INSERT ON payments
  REFERENCING NEW TABLE AS aging_new FOR EACH STATEMENT EXECUTE FUNCTION aging_month_ends_follow_payments();
--> statement-breakpoint
CREATE TRIGGER aging_month_ends_on_payment_update AFTER UPDATE ON payments
  REFERENCING OLD TABLE AS aging_old NEW TABLE AS aging_new FOR EACH STATEMENT EXECUTE FUNCTION aging_month_ends_follow_payments();
--> statement-breakpoint
CREATE TRIGGER aging_month_ends_on_payment_delete AFTER DELETE ON payments
  REFERENCING OLD TABLE AS aging_old FOR EACH STATEMENT EXECUTE FUNCTION aging_month_ends_follow_payments();
--> statement-breakpoint
-- Lists month-end me for workspace ws and computes its rows from the invoices (the scheduler's roll,
-- bench loads). Writers wait for the lock (about a second on 1,000,000 invoices), so no write falls
-- between this computation and the triggers that keep it from then on.
CREATE FUNCTION aging_month_end_take(ws uuid, me date) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE invoices, payments IN SHARE MODE;
  DELETE FROM aging_month_end_balances WHERE workspace_id = ws AND month_end = me;
  DELETE FROM aging_month_end_totals WHERE workspace_id = ws AND month_end = me;
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
  DROP TABLE aging_me_take;
END;
$$;
--> statement-breakpoint
-- The scheduler's month-end upkeep for workspace ws on its today: forgets month-ends more than 24
-- months back and takes the most recent missing one (one a call, so a tick stays short); returns
-- the month-end taken, or null when all are there.
CREATE FUNCTION aging_month_ends_keep(ws uuid, today date) RETURNS date
LANGUAGE plpgsql AS $$
DECLARE
  missing date;
BEGIN
  DELETE FROM aging_month_ends WHERE workspace_id = ws AND month_end < (date_trunc('month', today) - interval '24 months')::date;
  DELETE FROM aging_month_end_balances WHERE workspace_id = ws
    AND month_end < (date_trunc('month', today) - interval '24 months')::date;
  DELETE FROM aging_month_end_totals WHERE workspace_id = ws
    AND month_end < (date_trunc('month', today) - interval '24 months')::date;
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
