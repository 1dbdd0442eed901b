-- The reads of a city's archive (docs/BENCHMARKS.md, the archive: a million suggestions), each
-- found by its plan (EXPLAIN ANALYZE) reading the whole table without these.

-- The supervisors' overdue list (GET /v1/overdue): a few hundred overdue among a million, longest
-- overdue first. Partial: only the overdue rows are in it, so it stays small and cheap to keep.
CREATE INDEX "suggestions_overdue_due_at_idx" ON "suggestions"("due_at", "id") WHERE "overdue";

-- A list filtered by category and district, newest first and paged by its cursor (GET
-- /v1/suggestions?category=…&district=…&sort=-receivedAt&cursor=…): the page deep in it is
-- reached through the index from the cursor's instant, not by reading every row before it.
CREATE INDEX "suggestions_category_district_received_at_id_idx" ON "suggestions"("category", "district", "received_at", "id");

-- The public board (GET /v1/public/suggestions): the adopted and partially adopted suggestions
-- replied to whose proposer consented, latest decision first, with or without its filters, and
-- their count. Partial: a few in a hundred suggestions are on the board.
CREATE INDEX "suggestions_board_decided_at_idx" ON "suggestions"("decided_at" DESC, "id")
  WHERE "publish_consent" AND "replied_at" IS NOT NULL AND "outcome" IN ('adopted', 'partially_adopted');
CREATE INDEX "suggestions_board_district_category_decided_at_idx" ON "suggestions"("district", "category", "decided_at" DESC, "id")
  WHERE "publish_consent" AND "replied_at" IS NOT NULL AND "outcome" IN ('adopted', 'partially_adopted');

-- The similar suggestions of one (GET /v1/suggestions/{id}/similar) are the open ones and those
-- closed in the last 180 days: a few in a hundred of the archive. The words' index alone finds
-- every suggestion of five years sharing a word, each then looked up to see whether it is in the
-- window. Kept beside the words: when the suggestion closed, and the month it closed in ('open'
-- while open) as an array, so that one GIN index on (terms, window_months) finds only those of the
-- window's months sharing a word. Kept by a trigger on suggestions when closed_at changes.
ALTER TABLE "suggestion_terms" ADD COLUMN "closed_at" TIMESTAMP(3);
ALTER TABLE "suggestion_terms" ADD COLUMN "window_months" TEXT[] NOT NULL DEFAULT ARRAY['open'];
UPDATE "suggestion_terms" t SET "closed_at" = s."closed_at", "window_months" = ARRAY[to_char(s."closed_at", 'YYYY-MM')]
  FROM "suggestions" s WHERE s."id" = t."suggestion_id" AND s."closed_at" IS NOT NULL;
CREATE INDEX "suggestion_terms_terms_window_months_idx" ON "suggestion_terms" USING GIN ("terms", "window_months");

CREATE FUNCTION "suggestion_terms_window"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE suggestion_terms SET closed_at = NEW.closed_at, window_months = ARRAY[coalesce(to_char(NEW.closed_at, 'YYYY-MM'), 'open')]
  WHERE suggestion_id = NEW.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER "suggestions_terms_window" AFTER UPDATE OF "closed_at" ON "suggestions"
FOR EACH ROW WHEN (OLD."closed_at" IS DISTINCT FROM NEW."closed_at") EXECUTE FUNCTION "suggestion_terms_window"();
