-- A deadline reaching a year without an official holiday schedule is counted on the forecast and
-- marked provisional until the year is loaded; loading a year corrects the open suggestions
-- (workflows/calendar-year-workflow.ts), and corrected_at says that this load has reached them.
ALTER TABLE "suggestions" ADD COLUMN "due_at_provisional" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "calendar_years" ADD COLUMN "corrected_at" TIMESTAMP(3);

-- Every load of a year is announced on calendar_years_changed, so that the workers drop the
-- calendar they keep and give the open suggestions the new year at once (worker/calendar-watcher.ts).
CREATE FUNCTION notify_calendar_years_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('calendar_years_changed', NEW.year::text);
  RETURN NULL;
END $$;

CREATE TRIGGER calendar_years_changed AFTER INSERT OR UPDATE OF loaded_at, source ON "calendar_years"
  FOR EACH ROW EXECUTE FUNCTION notify_calendar_years_changed();
