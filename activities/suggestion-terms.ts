import type { SuggestionView } from '../domain/suggestion';
import { Prisma } from '../prisma/client';
import { profileOf } from '../segmenter';

// The suggestion's words and places (segmenter/), kept in suggestion_terms by the statement that
// registers it: segmented once, in the worker, so intake itself does no more work, and the row
// is there as soon as the suggestion is (api/similarity.ts looks suggestions up by it).

/** The WITH query that keeps the suggestion's words and places, followed by a comma; none if the text could not be segmented. */
export function suggestionTermsSql(view: Pick<SuggestionView, 'id' | 'title' | 'content' | 'district' | 'category' | 'closedAt'>): Prisma.Sql {
  let row;
  try {
    const p = profileOf(view);
    // The similar look-up's window (api/similarity.ts): a trigger on suggestions keeps it from here on.
    const closedAt = view.closedAt ?? null;
    row = {
      suggestion_id: view.id,
      terms: p.terms,
      weights: p.weights,
      places: p.places,
      place_names: p.placeNames,
      closed_at: closedAt,
      window_months: [closedAt ? closedAt.slice(0, 7) : 'open'],
    };
  } catch {
    // Similarity is a help to the office, never a reason for a registration to fail.
    return Prisma.empty;
  }
  return Prisma.sql`
    terms AS (
      INSERT INTO suggestion_terms (suggestion_id, terms, weights, places, place_names, closed_at, window_months)
      SELECT suggestion_id, terms, weights, places, place_names, closed_at, window_months FROM jsonb_populate_record(NULL::suggestion_terms, ${JSON.stringify(row)}::jsonb)
      ON CONFLICT DO NOTHING
    ),`;
}
