import type { HandlingLookupsRequest } from '../../activities';
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
 * as written, each look-up answered from here. A suggestion that looked them up as it was
 * registered (stages/registration.ts) has its answers already.
 */
export async function lookUpHandlingAtOnce(suggestion: SuggestionRecord): Promise<void> {
  if (suggestion.lookUpAtRegistration || !suggestion.lean || !changed(handlingLookupsPatch)) return;
  keepAnswers(await handlingLookups(handlingLookupsRequest(suggestion)), 'end of task');
}

/** What the look-ups at once are asked for: the suggestion's routing facts and the workflow's clock now. */
export function handlingLookupsRequest(suggestion: SuggestionRecord): HandlingLookupsRequest {
  const { trackingNumber, channel, category, district, receivedAt } = suggestion.intake;
  return { trackingNumber, channel, category, district, receivedAt, assignedAt: new Date().toISOString() };
}
