-- Migration 0045 kept the workspace's today: a day still under way, whose movements (every write of
-- the day, a bank import dated today) /aging as of yesterday then read. Kept instead: yesterday, a
-- complete day (forgotten the next day unless it is a month-end or a 15th), and a 15th once over.
-- Any past date within 24 months stays at most 8 days from a kept one; yesterday answers as fast as
-- a month-end, and a write on an invoice issued today restates no kept day.
CREATE OR REPLACE FUNCTION aging_month_ends_keep(ws uuid, today date) RETURNS date
LANGUAGE plpgsql AS $$
DECLARE
  missing date;
  gone date;
  oldest date := (date_trunc('month', today) - interval '24 months')::date;
  wanted date[];
BEGIN
  SELECT array_agg(e) INTO wanted FROM (
    SELECT (date_trunc('month', today) - make_interval(months => k) - interval '1 day')::date AS e
    FROM generate_series(0, 23) k
    UNION ALL
    SELECT (date_trunc('month', today) - make_interval(months => k) + interval '14 days')::date
    FROM generate_series(0, 23) k
    UNION ALL
    SELECT today - 1
  ) kept_days
  WHERE e < today;
  -- A day no longer wanted (the day before yesterday, those past 24 months): its rows go with it.
  FOR gone IN
    DELETE FROM aging_month_ends WHERE workspace_id = ws AND NOT (month_end = ANY (wanted)) RETURNING month_end
  LOOP
    DELETE FROM aging_month_end_balances WHERE workspace_id = ws AND month_end = gone;
    DELETE FROM aging_month_end_totals WHERE workspace_id = ws AND month_end = gone;
    DELETE FROM aging_month_end_dues WHERE workspace_id = ws AND month_end = gone;
  END LOOP;
  DELETE FROM aging_month_end_balances WHERE workspace_id = ws AND month_end < oldest;
  DELETE FROM aging_month_end_totals WHERE workspace_id = ws AND month_end < oldest;
  DELETE FROM aging_month_end_dues WHERE workspace_id = ws AND month_end < oldest;
  SELECT e INTO missing FROM unnest(wanted) e
  WHERE NOT EXISTS (SELECT 1 FROM aging_month_ends m WHERE m.workspace_id = ws AND m.month_end = e)
  ORDER BY e DESC LIMIT 1;
  IF missing IS NOT NULL THEN
    PERFORM aging_month_end_take(ws, missing);
  END IF;
  RETURN missing;
END;
$$;
