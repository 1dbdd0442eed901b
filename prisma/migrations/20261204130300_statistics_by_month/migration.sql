-- The summary by month beside the summary by day: a year's statistics sum the whole months of the
-- period from `statistics_months` (a few thousand rows a year) and only the days of a month the
-- period cuts from `statistics_days` (tens of thousands of rows a year in a city's archive:
-- docs/BENCHMARKS.md). The same trigger keeps both, in the statement that changes a suggestion.
CREATE TABLE "statistics_months" (
    "month" DATE NOT NULL,
    "lead_department" TEXT NOT NULL,
    "district" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "proposers" INTEGER NOT NULL DEFAULT 0,
    "received" INTEGER NOT NULL DEFAULT 0,
    "decided" INTEGER NOT NULL DEFAULT 0,
    "adopted" INTEGER NOT NULL DEFAULT 0,
    "on_time" INTEGER NOT NULL DEFAULT 0,
    "late" INTEGER NOT NULL DEFAULT 0,
    "handled" INTEGER NOT NULL DEFAULT 0,
    "handling_days" INTEGER NOT NULL DEFAULT 0,
    "rated" INTEGER NOT NULL DEFAULT 0,
    "satisfied" INTEGER NOT NULL DEFAULT 0,
    "overdue_undecided" INTEGER NOT NULL DEFAULT 0,
    "routed" INTEGER NOT NULL DEFAULT 0,
    "replied" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "statistics_months_pkey" PRIMARY KEY ("month","lead_department","district","category","campaign_id")
);

-- Each month the sum of its days (api/statistics.ts `rebuildSummary` counts it the same way).
INSERT INTO "statistics_months"
SELECT date_trunc('month', day)::date, lead_department, district, category, campaign_id, sum(proposers), sum(received), sum(decided), sum(adopted),
  sum(on_time), sum(late), sum(handled), sum(handling_days), sum(rated), sum(satisfied), sum(overdue_undecided), sum(routed), sum(replied)
FROM "statistics_days"
GROUP BY 1, 2, 3, 4, 5;

-- Moves a changed suggestion's figures: off the day (and month) it counted on before, onto the day
-- (and month) it counts on now. The rows of each table are locked in one order, so two changes
-- never wait on each other's rows crosswise.
CREATE OR REPLACE FUNCTION "suggestions_statistics"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH c AS (
    SELECT * FROM statistics_contribution(OLD, -1) WHERE TG_OP <> 'INSERT'
    UNION ALL
    SELECT * FROM statistics_contribution(NEW, 1) WHERE TG_OP <> 'DELETE'
  ), days AS (
    INSERT INTO statistics_days AS t (day, lead_department, district, category, campaign_id, proposers, received, decided, adopted, on_time, late, handled, handling_days, rated, satisfied,
      overdue_undecided, routed, replied)
    SELECT c.day, c.lead_department, c.district, c.category, c.campaign_id, sum(c.proposers), sum(c.received), sum(c.decided), sum(c.adopted),
      sum(c.on_time), sum(c.late), sum(c.handled), sum(c.handling_days), sum(c.rated), sum(c.satisfied), sum(c.overdue_undecided), sum(c.routed), sum(c.replied)
    FROM c
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, lead_department, district, category, campaign_id) DO UPDATE SET
      proposers = t.proposers + excluded.proposers, received = t.received + excluded.received, decided = t.decided + excluded.decided,
      adopted = t.adopted + excluded.adopted, on_time = t.on_time + excluded.on_time, late = t.late + excluded.late,
      handled = t.handled + excluded.handled, handling_days = t.handling_days + excluded.handling_days,
      rated = t.rated + excluded.rated, satisfied = t.satisfied + excluded.satisfied,
      overdue_undecided = t.overdue_undecided + excluded.overdue_undecided, routed = t.routed + excluded.routed, replied = t.replied + excluded.replied
  )
  INSERT INTO statistics_months AS t (month, lead_department, district, category, campaign_id, proposers, received, decided, adopted, on_time, late, handled, handling_days, rated, satisfied,
    overdue_undecided, routed, replied)
  SELECT date_trunc('month', c.day)::date, c.lead_department, c.district, c.category, c.campaign_id, sum(c.proposers), sum(c.received), sum(c.decided), sum(c.adopted),
    sum(c.on_time), sum(c.late), sum(c.handled), sum(c.handling_days), sum(c.rated), sum(c.satisfied), sum(c.overdue_undecided), sum(c.routed), sum(c.replied)
  FROM c
  GROUP BY 1, 2, 3, 4, 5
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (month, lead_department, district, category, campaign_id) DO UPDATE SET
    proposers = t.proposers + excluded.proposers, received = t.received + excluded.received, decided = t.decided + excluded.decided,
    adopted = t.adopted + excluded.adopted, on_time = t.on_time + excluded.on_time, late = t.late + excluded.late,
    handled = t.handled + excluded.handled, handling_days = t.handling_days + excluded.handling_days,
    rated = t.rated + excluded.rated, satisfied = t.satisfied + excluded.satisfied,
    overdue_undecided = t.overdue_undecided + excluded.overdue_undecided, routed = t.routed + excluded.routed, replied = t.replied + excluded.replied;
  RETURN NULL;
END
$$;
