-- The working-day count runs up by 1,000,000 for each day of a year the calendar does not know
-- (api/statistics.ts workingDayOrdinals), so that a span through such a year is recognisably not
-- countable. A calendar with a few such years between its first and last passes 2^31 within a few
-- years of unknown days: the rebuild's INSERT failed with "out of range for type integer" and
-- /v1/statistics answered 500. The count is a BIGINT; the handling time taken from it (a span
-- under 1,000,000) stays an INTEGER.
ALTER TABLE "statistics_working_days" ALTER COLUMN "ordinal" TYPE BIGINT;

-- What one suggestion adds to its day's figures, as before (migration statistics_indicators),
-- its span now a difference of BIGINT counts.
CREATE OR REPLACE FUNCTION "statistics_contribution"(s "suggestions", sign INTEGER)
RETURNS TABLE ("day" DATE, "lead_department" TEXT, "district" TEXT, "category" TEXT, "campaign_id" TEXT,
  "proposers" INTEGER, "received" INTEGER, "decided" INTEGER, "adopted" INTEGER, "on_time" INTEGER, "late" INTEGER,
  "handled" INTEGER, "handling_days" INTEGER, "rated" INTEGER, "satisfied" INTEGER,
  "overdue_undecided" INTEGER, "routed" INTEGER, "replied" INTEGER)
LANGUAGE sql STABLE AS $$
  SELECT f.day, coalesce(s.lead_department, ''), s.district, s.category, coalesce(s.campaign_id, ''),
    sign, sign * f.own::int, sign * f.decided::int,
    sign * (f.decided AND s.outcome IN ('adopted', 'partially_adopted'))::int,
    sign * coalesce(f.decided AND s.decided_at <= s.due_at, false)::int,
    sign * (coalesce(f.decided AND s.decided_at > s.due_at, false) OR (f.own AND s.decided_at IS NULL AND s.overdue))::int,
    sign * coalesce(f.decided AND f.span < 1000000, false)::int,
    sign * CASE WHEN f.decided AND f.span < 1000000 THEN greatest(f.span, 0)::int ELSE 0 END,
    sign * (f.rating IS NOT NULL)::int,
    sign * coalesce(f.rating IN ('satisfied', 'basically_satisfied'), false)::int,
    sign * (f.own AND s.decided_at IS NULL AND s.overdue)::int,
    sign * (f.own AND s.lead_department IS NOT NULL)::int,
    sign * (f.own AND s.replied_at IS NOT NULL)::int
  FROM (
    SELECT (s.received_at + interval '8 hours')::date AS day,
      s.merged_into IS NULL AS own,
      s.merged_into IS NULL AND s.decided_at IS NOT NULL AS decided,
      s.feedback #>> '{satisfaction,ratings,-1,rating}' AS rating,
      CASE WHEN s.decided_at IS NOT NULL THEN
        (SELECT w.ordinal FROM statistics_working_days w WHERE w.day = (s.decided_at + interval '8 hours')::date)
        - (SELECT w.ordinal FROM statistics_working_days w WHERE w.day = (s.received_at + interval '8 hours')::date)
      END AS span
  ) f
$$;
