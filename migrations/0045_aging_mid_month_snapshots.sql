-- /aging as of a day that is not kept starts from the nearest kept day and applies the movements in
-- between (src/aging/month-end-repo.ts). The scheduler now keeps, besides the last 24 month-ends, the
-- 15th of each month and the workspace's today (forgotten the next day unless it is a month-end or a
-- 15th): any past date within 24 months is at most 8 days from a kept one, in the current month too
-- (≈ 18,000 movement rows on 1,000,000 invoices instead of ≈ 36,000 half a month away). Nothing else
-- changes: aging_month_ends lists any day, and the triggers (0037, 0044) keep every listed day's
-- balances, totals and dues as they keep a month-end's. Missing days are taken by the scheduler, most
-- recent first, one a tick (≈ 2 s each on 1,000,000 invoices while writers wait): today's first, once
-- a day, then the 15ths of the last 24 months on the first ticks after this migration.
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
    SELECT today
  ) kept_days
  WHERE e <= today;
  -- A day no longer wanted (yesterday's today, those past 24 months): its rows go with it.
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
