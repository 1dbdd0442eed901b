import { handlingLookups } from '../activities';
import { keepAnswers } from '../answers-ahead';
import { changed } from '../changes';
import type { SuggestionRecord } from '../suggestion-record';

/** Suggestions started before the routing's look-ups were done at once replay as recorded. */
export const handlingLookupsPatch = 'handling-lookups-at-once';

/**
 * Looks up in one local activity what routing a new suggestion asks for (its time limits, the
 * deadlines, the routing rule, the department's name, the reminder times), so the first
 * workflow task runs one activity for them instead of seven. The routing then goes on exactly
 * as written, each look-up answered from here.
 */
export async function lookUpHandlingAtOnce(suggestion: SuggestionRecord): Promise<void> {
  if (!suggestion.lean || !changed(handlingLookupsPatch)) return;
  const { trackingNumber, channel, category, district, receivedAt } = suggestion.intake;
  keepAnswers(await handlingLookups({ trackingNumber, channel, category, district, receivedAt, assignedAt: new Date().toISOString() }));
}
