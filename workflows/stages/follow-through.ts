import { feedbackTerms } from '../activities';
import type { SuggestionRecord } from '../suggestion-record';
import { handleImplementationMessages, carryOut, startImplementation } from './implementation';
import { receiveCampaignFeedback } from './publication';
import { closeSuggestion, replyToProposer } from './reply';
import { collectSatisfaction, handleRating } from './satisfaction';

/** The messages of the chain after the decision: progress, plan revisions, follow-up, rating, campaign results. */
export function handleFollowThroughMessages(suggestion: SuggestionRecord): void {
  handleImplementationMessages(suggestion);
  handleRating(suggestion);
  receiveCampaignFeedback(suggestion);
}

/**
 * From the decision to closure: reply (答复); then, side by side, the proposer's rating with its
 * possible re-handling (回访) and the implementation of an adopted idea with its follow-up check
 * (落实转化); closed when both are done.
 */
export async function followThrough(suggestion: SuggestionRecord): Promise<void> {
  // The terms the suggestion arrived under; one that started before they were read at arrival
  // reads them now, as it always did (its recorded handling terms tell which, so replay agrees).
  const terms = suggestion.handling.feedbackTerms ?? (await feedbackTerms());
  await replyToProposer(suggestion, terms);
  await startImplementation(suggestion);
  let ratingSettled = false;
  await Promise.all([
    collectSatisfaction(suggestion, terms).then(() => {
      ratingSettled = true;
    }),
    carryOut(suggestion, terms, () => ratingSettled),
  ]);
  await closeSuggestion(suggestion);
}
