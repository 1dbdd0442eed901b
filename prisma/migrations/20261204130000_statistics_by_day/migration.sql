-- /v1/statistics from a summary instead of every suggestion of the period: the figures of the
-- suggestions received on one day (in Shanghai), per lead department, district, category and
-- campaign ('' for none), kept by a trigger on `suggestions` in the statement that changes a row.
-- A year by department then sums a few tens of thousands of rows instead of reading hundreds of
-- thousands of suggestions and their timelines (docs/BENCHMARKS.md, the archive).
CREATE TABLE "statistics_days" (
    "day" DATE NOT NULL,
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

    CONSTRAINT "statistics_days_pkey" PRIMARY KEY ("day","lead_department","district","category","campaign_id")
);

-- The working-day calendar as the API reads it (official years and forecast ones), as a running
-- count: a suggestion's handling time is the count on the day it was decided less the count on
-- the day it was received. A day of a year without calendar data counts 1,000,000, so a span
-- through such a year is recognisably not countable (api/statistics.ts).
CREATE TABLE "statistics_working_days" (
    "day" DATE NOT NULL,
    "ordinal" INTEGER NOT NULL,

    CONSTRAINT "statistics_working_days_pkey" PRIMARY KEY ("day")
);

-- Which calendar the summary's handling times were counted on; another one rebuilds the summary.
CREATE TABLE "statistics_state" (
    "id" INTEGER NOT NULL,
    "calendar_fingerprint" TEXT,
    "rebuilt_at" TIMESTAMP(3),

    CONSTRAINT "statistics_state_pkey" PRIMARY KEY ("id")
);
INSERT INTO "statistics_state" ("id") VALUES (1);

-- What one suggestion adds to its day's figures (api/statistics.ts `aggregate` is the same rule
-- in TypeScript): every proposer, and the matter once unless merged into another (合并办理);
-- decided, adopted, on time or late, its handling time in working days; the proposer's latest
-- rating (the last of feedback.satisfaction.ratings, as the timeline's last `rated` event).
CREATE FUNCTION "statistics_contribution"(s "suggestions", sign INTEGER)
RETURNS TABLE ("day" DATE, "lead_department" TEXT, "district" TEXT, "category" TEXT, "campaign_id" TEXT,
  "proposers" INTEGER, "received" INTEGER, "decided" INTEGER, "adopted" INTEGER, "on_time" INTEGER, "late" INTEGER,
  "handled" INTEGER, "handling_days" INTEGER, "rated" INTEGER, "satisfied" INTEGER)
LANGUAGE sql STABLE AS $$
  SELECT f.day, coalesce(s.lead_department, ''), s.district, s.category, coalesce(s.campaign_id, ''),
    sign, sign * f.own::int, sign * f.decided::int,
    sign * (f.decided AND s.outcome IN ('adopted', 'partially_adopted'))::int,
    sign * coalesce(f.decided AND s.decided_at <= s.due_at, false)::int,
    sign * (coalesce(f.decided AND s.decided_at > s.due_at, false) OR (f.own AND s.decided_at IS NULL AND s.overdue))::int,
    sign * coalesce(f.decided AND f.span < 1000000, false)::int,
    sign * CASE WHEN f.decided AND f.span < 1000000 THEN greatest(f.span, 0) ELSE 0 END,
    sign * (f.rating IS NOT NULL)::int,
    sign * coalesce(f.rating IN ('satisfied', 'basically_satisfied'), false)::int
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

-- Moves a changed suggestion's figures: off the day it counted on before, onto the day it counts on now.
CREATE FUNCTION "suggestions_statistics"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO statistics_days AS t (day, lead_department, district, category, campaign_id, proposers, received, decided, adopted, on_time, late, handled, handling_days, rated, satisfied)
  SELECT c.day, c.lead_department, c.district, c.category, c.campaign_id, sum(c.proposers), sum(c.received), sum(c.decided), sum(c.adopted),
    sum(c.on_time), sum(c.late), sum(c.handled), sum(c.handling_days), sum(c.rated), sum(c.satisfied)
  FROM (
    SELECT * FROM statistics_contribution(OLD, -1) WHERE TG_OP <> 'INSERT'
    UNION ALL
    SELECT * FROM statistics_contribution(NEW, 1) WHERE TG_OP <> 'DELETE'
  ) c
  GROUP BY 1, 2, 3, 4, 5
  -- Rows locked in one order, so two changes never wait on each other's rows crosswise.
  ORDER BY 1, 2, 3, 4, 5
  ON CONFLICT (day, lead_department, district, category, campaign_id) DO UPDATE SET
    proposers = t.proposers + excluded.proposers, received = t.received + excluded.received, decided = t.decided + excluded.decided,
    adopted = t.adopted + excluded.adopted, on_time = t.on_time + excluded.on_time, late = t.late + excluded.late,
    handled = t.handled + excluded.handled, handling_days = t.handling_days + excluded.handling_days,
    rated = t.rated + excluded.rated, satisfied = t.satisfied + excluded.satisfied;
  RETURN NULL;
END
$$;

CREATE TRIGGER "suggestions_statistics_insert_delete" AFTER INSERT OR DELETE ON "suggestions"
FOR EACH ROW EXECUTE FUNCTION "suggestions_statistics"();

-- Only a change of what the figures count runs it: a reminder, a progress report or a new
-- deadline before the decision moves nothing.
CREATE TRIGGER "suggestions_statistics_update" AFTER UPDATE ON "suggestions"
FOR EACH ROW WHEN (
  OLD.received_at IS DISTINCT FROM NEW.received_at OR OLD.lead_department IS DISTINCT FROM NEW.lead_department
  OR OLD.district IS DISTINCT FROM NEW.district OR OLD.category IS DISTINCT FROM NEW.category
  OR OLD.campaign_id IS DISTINCT FROM NEW.campaign_id OR OLD.merged_into IS DISTINCT FROM NEW.merged_into
  OR OLD.decided_at IS DISTINCT FROM NEW.decided_at OR OLD.outcome IS DISTINCT FROM NEW.outcome
  OR OLD.overdue IS DISTINCT FROM NEW.overdue
  OR (NEW.decided_at IS NOT NULL AND OLD.due_at IS DISTINCT FROM NEW.due_at)
  OR (OLD.feedback #>> '{satisfaction,ratings,-1,rating}') IS DISTINCT FROM (NEW.feedback #>> '{satisfaction,ratings,-1,rating}')
) EXECUTE FUNCTION "suggestions_statistics"();
